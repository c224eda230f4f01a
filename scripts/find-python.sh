#!/usr/bin/env bash
# Prints the path of a Python interpreter new enough for the portal (3.12 or
# newer, which Django 6.1 needs), or explains how to get one and exits 1.
#
# Candidates, in order: $PYTHON if set, python3.13, python3.12 and python3 on
# the PATH, then pyenv's installed 3.12+ versions (selected or not), then
# /usr/bin/python3.1x and /usr/local/bin/python3.1x.
set -u
shopt -s nullglob

is_new_enough() {
    "$1" -c 'import sys; assert sys.version_info >= (3, 12)' >/dev/null 2>&1
}

candidates=()
if [ -n "${PYTHON:-}" ]; then
    candidates+=("$PYTHON")
fi
candidates+=(python3.13 python3.12 python3)
if command -v pyenv >/dev/null 2>&1; then
    pyenv_root="$(pyenv root 2>/dev/null || true)"
    if [ -n "$pyenv_root" ]; then
        candidates+=("$pyenv_root"/versions/3.1[2-9]*/bin/python3)
    fi
fi
candidates+=(/usr/bin/python3.1[2-9] /usr/local/bin/python3.1[2-9])

for candidate in "${candidates[@]}"; do
    if path="$(command -v "$candidate" 2>/dev/null)" && is_new_enough "$path"; then
        printf '%s\n' "$path"
        exit 0
    fi
    if [ -n "${PYTHON:-}" ] && [ "$candidate" = "$PYTHON" ]; then
        echo "PYTHON=$PYTHON is not a Python 3.12 or newer; looking for another interpreter." >&2
    fi
done

echo "Python 3.12 or newer is needed (Django 6.1). Install python3.12 (e.g. apt-get install" \
    "python3.12 python3.12-venv, or pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 run" >&2
exit 1
