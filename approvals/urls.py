from django.urls import path

from .views import declarations, permissions, proposals

app_name = "approvals"

urlpatterns = [
    # Social media service proposals (§5, §6)
    path("", proposals.proposal_list, name="proposal_list"),
    path("propose/", proposals.proposal_start, name="proposal_start"),
    path("propose/no-approval-needed/", proposals.proposal_not_needed, name="proposal_not_needed"),
    path("proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("proposals/awaiting/", proposals.proposal_awaiting, name="proposal_awaiting"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("proposals/<int:pk>/edit/", proposals.proposal_edit, name="proposal_edit"),
    path("proposals/<int:pk>/submit/", proposals.proposal_submit, name="proposal_submit"),
    path("proposals/<int:pk>/decide/", proposals.proposal_decide, name="proposal_decide"),
    path(
        "proposals/<int:pk>/suspend/",
        proposals.proposal_action,
        {"action": "suspend"},
        name="proposal_suspend",
    ),
    path(
        "proposals/<int:pk>/reinstate/",
        proposals.proposal_action,
        {"action": "reinstate"},
        name="proposal_reinstate",
    ),
    path("proposals/<int:pk>/renew/", proposals.proposal_action, {"action": "renew"}, name="proposal_renew"),
    path(
        "proposals/<int:pk>/withdraw/",
        proposals.proposal_action,
        {"action": "withdraw"},
        name="proposal_withdraw",
    ),
    path("register/", proposals.register, name="register"),
    # Family-link declarations (§7)
    path("declarations/", declarations.declaration_list, name="declaration_list"),
    path("declarations/new/", declarations.declaration_create, name="declaration_create"),
    path("declarations/register/", declarations.declaration_register, name="declaration_register"),
    path("declarations/<int:pk>/", declarations.declaration_detail, name="declaration_detail"),
    path(
        "declarations/<int:pk>/acknowledge/",
        declarations.declaration_acknowledge,
        name="declaration_acknowledge",
    ),
    path("declarations/<int:pk>/withdraw/", declarations.declaration_withdraw, name="declaration_withdraw"),
    path(
        "declarations/<int:pk>/redeclare/", declarations.declaration_redeclare, name="declaration_redeclare"
    ),
    # Publication permissions (§6)
    path("permissions/", permissions.permission_list, name="permission_list"),
    path("permissions/new/", permissions.permission_create, name="permission_create"),
    path("permissions/awaiting/", permissions.permission_awaiting, name="permission_awaiting"),
    path("permissions/register/", permissions.permission_register, name="permission_register"),
    path("permissions/<int:pk>/", permissions.permission_detail, name="permission_detail"),
    path("permissions/<int:pk>/decide/", permissions.permission_decide, name="permission_decide"),
]
