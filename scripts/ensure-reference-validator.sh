#!/usr/bin/env bash
# Installs what ReferenceValidatorTests needs when it is missing: Python's jsonschema (the reference
# JSON Schema 2020-12 validator), regress (an ECMA-262 engine for `pattern`) and rfc3339-validator
# (without which jsonschema silently skips `date-time`). scripts/test.sh runs this first.
set -euo pipefail
if [ "${1:-}" = "--help" ]; then sed -n 2,4p "$0"; exit 0; fi
if ! python3 -c "import jsonschema, regress, rfc3339_validator" >/dev/null 2>&1; then
    echo "ensure-reference-validator: installing jsonschema regress rfc3339-validator" >&2
    python3 -m pip install --quiet jsonschema regress rfc3339-validator \
        || python3 -m pip install --quiet --break-system-packages jsonschema regress rfc3339-validator
fi
