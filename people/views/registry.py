"""The registry's pages: people, their parents and classes. Thin: bind a form, call a service, redirect."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from audit.selectors import history_for, viewers_of
from audit.services import audit_view
from core.dashboard import person_panels_for
from core.viewtools import PAGE_SIZE, apply_form_errors, record_id, require

from .. import policies, services
from ..filters import PersonFilter
from ..forms import ClassGroupForm, MarkLeftForm, ParentLinkForm, PersonForm
from ..models import ClassGroup, Membership, ParentLink, Person, PersonKind, RoleAssignment

# --- People --------------------------------------------------------------------------------


@require_GET
def person_list(request):
    require(policies.can_view_registry(request.user))
    schools = policies.schools_visible_to(request.user)
    classes = policies.classes_visible_to(request.user).select_related("school")
    people = policies.people_visible_to(request.user).prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("school"))
    )
    person_filter = PersonFilter(request.GET or None, queryset=people, schools=schools, classes=classes)
    page = Paginator(person_filter.qs.order_by("last_name", "first_name", "id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "people/person_list.html",
        {
            "filter": person_filter,
            "page": page,
            "query": query.urlencode(),
            "can_manage": policies.can_manage_registry(request.user),
        },
    )


@require_GET
def person_detail(request, pk):
    person = get_object_or_404(
        policies.people_visible_to(request.user).prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("school")),
            Prefetch("roles", queryset=RoleAssignment.objects.select_related("school", "federation")),
            Prefetch("parent_links", queryset=ParentLink.objects.select_related("parent")),
            Prefetch("children_links", queryset=ParentLink.objects.select_related("pupil")),
            Prefetch("classes_attended", queryset=ClassGroup.objects.select_related("school")),
            Prefetch("classes_taught", queryset=ClassGroup.objects.select_related("school")),
        ),
        pk=pk,
    )
    school_ids = [m.school_id for m in person.memberships.all()]
    audit_view(actor=request.user, target=person, school=school_ids[0] if school_ids else None)
    show_history = any(policies.can_view_history(request.user, s) for s in school_ids)
    return render(
        request,
        "people/person_detail.html",
        {
            "person": person,
            "age": person.age_on(timezone.localdate()),
            "can_edit": policies.can_edit_person(request.user, person),
            "can_manage_access": policies.can_manage_access(request.user, person),
            "is_pupil": person.kind in (PersonKind.PUPIL, PersonKind.FORMER_PUPIL),
            "panels": person_panels_for(request.user, person),
            "history": history_for(person) if show_history else None,
            "viewers": viewers_of(person) if show_history else None,
        },
    )


@require_http_methods(["GET", "POST"])
def person_create(request):
    require(policies.can_manage_registry(request.user))
    schools = policies.schools_managed_by(request.user)
    form = PersonForm(request.POST or None, schools=schools)
    if request.method == "POST" and form.is_valid():
        try:
            person = services.person_create(
                actor=request.user, school=form.cleaned_data["school"], **form.person_fields()
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} was added to the registry.")
            return redirect(person)
    return render(request, "people/person_form.html", {"form": form, "title": "Add a person"})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_object_or_404(policies.people_editable_by(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        original = Person.objects.get(pk=pk)
        try:
            services.person_update(actor=request.user, person=original, **form.person_fields())
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{original.first_name}'s details were saved.")
            return redirect(original)
    return render(
        request,
        "people/person_form.html",
        {"form": form, "title": f"Edit {person.full_name}", "person": person},
    )


@require_http_methods(["GET", "POST"])
def person_mark_left(request, pk):
    person = get_object_or_404(policies.people_editable_by(request.user), pk=pk)
    form = MarkLeftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_mark_left(actor=request.user, person=person, left_on=form.cleaned_data["left_on"])
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{person.full_name} is recorded as having left.")
            return redirect(person)
    return render(
        request,
        "people/person_confirm_left.html",
        {"form": form, "person": person, "is_pupil": person.kind == PersonKind.PUPIL},
    )


@require_http_methods(["GET", "POST"])
def parent_link_create(request, pk):
    pupil = get_object_or_404(
        policies.people_editable_by(request.user).filter(
            kind__in=[PersonKind.PUPIL, PersonKind.FORMER_PUPIL]
        ),
        pk=pk,
    )
    school_ids = pupil.memberships.values_list("school_id", flat=True)
    # Parents of the pupil's schools whose registry the user keeps.
    parents = (
        policies.people_editable_by(request.user)
        .filter(kind=PersonKind.PARENT, memberships__school_id__in=school_ids)
        .distinct()
    )
    form = ParentLinkForm(request.POST or None, parents=parents)
    if request.method == "POST" and form.is_valid():
        try:
            link = services.parent_link_create(
                actor=request.user,
                pupil=pupil,
                parent=form.cleaned_data["parent"],
                new_parent=form.new_parent(),
                relationship=form.cleaned_data["relationship"],
                parental_responsibility=form.cleaned_data["parental_responsibility"],
                may_contact=form.cleaned_data["may_contact"],
                preferred_channel=form.cleaned_data["preferred_channel"],
            )
        except ValidationError as exc:
            apply_form_errors(form, exc)
        else:
            messages.success(request, f"{link.parent.full_name} is now linked to {pupil.full_name}.")
            return redirect(pupil)
    return render(request, "people/parentlink_form.html", {"form": form, "pupil": pupil})


# --- Classes -------------------------------------------------------------------------------


@require_GET
def class_list(request):
    require(policies.can_view_registry(request.user))
    classes = (
        policies.classes_visible_to(request.user)
        .select_related("school")
        .prefetch_related("teachers")
        .order_by("school__name", "year_group", "name")
    )
    page = Paginator(classes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "people/classgroup_list.html",
        {"page": page, "can_manage": policies.can_manage_registry(request.user)},
    )


@require_GET
def class_detail(request, pk):
    class_group = get_object_or_404(
        policies.classes_visible_to(request.user)
        .select_related("school")
        .prefetch_related("teachers", "pupils"),
        pk=pk,
    )
    return render(
        request,
        "people/classgroup_detail.html",
        {
            "class_group": class_group,
            "can_manage": policies.schools_managed_by(request.user).filter(pk=class_group.school_id).exists(),
        },
    )


@require_http_methods(["GET", "POST"])
def class_edit(request, pk=None):
    managed = policies.schools_managed_by(request.user)
    if pk is None:
        require(policies.can_manage_registry(request.user))
        class_group = None
        raw_school = request.GET.get("school") or request.POST.get("school")
        if raw_school:
            # A school named but not kept by the user (or not an id at all) is missing to them, never
            # swapped for another.
            school_id = record_id(raw_school)
            school = managed.filter(pk=school_id).first() if school_id is not None else None
            if school is None:
                raise Http404
        else:
            school = managed.first()
        if school is None:
            raise PermissionDenied
    else:
        class_group = get_object_or_404(ClassGroup.objects.filter(school__in=managed), pk=pk)
        school = class_group.school
    members = Person.objects.filter(memberships__school=school)
    staff = members.filter(kind=PersonKind.STAFF)
    pupils = members.filter(kind=PersonKind.PUPIL)
    initial = None
    if class_group:
        initial = {
            "name": class_group.name,
            "year_group": class_group.year_group,
            "teachers": list(class_group.teachers.all()),
            "pupils": list(class_group.pupils.all()),
        }
    form = ClassGroupForm(request.POST or None, initial=initial, staff=staff, pupils=pupils)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["name"]
        clash = ClassGroup.objects.filter(school=school, name__iexact=name)
        if class_group:
            clash = clash.exclude(pk=class_group.pk)
        if clash.exists():
            form.add_error("name", f"{school.name} already has a class called {name}.")
        else:
            class_group = services.class_group_save(
                actor=request.user,
                school=school,
                name=name,
                year_group=form.cleaned_data["year_group"],
                teachers=list(form.cleaned_data["teachers"]),
                pupils=list(form.cleaned_data["pupils"]),
                class_group=class_group,
            )
            messages.success(request, f"{class_group.name} was saved.")
            return redirect("people:class_detail", pk=class_group.pk)
    return render(
        request,
        "people/classgroup_form.html",
        {"form": form, "school": school, "class_group": class_group},
    )
