#!/usr/bin/env python3
"""Validate JSON instances against schemas/ with an independent JSON Schema 2020-12 validator.

Usage: scripts/reference-validate.py [--schemas DIR] CASES.jsonl

Each line of CASES.jsonl is {"schema": "claim.schema.json", "instance": ...}; each output line is
{"valid": true} or {"valid": false, "error": "..."}, in the same order. ThreatLedger's own validator
is held to these verdicts by ReferenceValidatorTests (Tests/ThreatLedgerCoreTests).

The reference is Python's `jsonschema` (Draft 2020-12) with:
- its FormatChecker asserting `format` (ThreatLedger asserts it too); `date-time` needs the
  `rfc3339-validator` package, without which jsonschema silently skips it, so it is required here;
- `pattern` evaluated by `regress` (an ECMA-262 engine, unicode mode) instead of Python's `re`,
  which rejects `\\p{L}` and lets `$` match before a final newline.
One rule differs from JSON Schema's and is given to the reference, so that it is listed rather than
hidden: ThreatLedger's `integer` is an integral number within ±2^53 (I-JSON, RFC 7493 §2.2). Every
JSON number ThreatLedger reads is an IEEE double, so a larger one is not the integer written; JSON
Schema itself admits any integral number. No other keyword in schemas/ needs telling.

Install: python3 -m pip install jsonschema regress rfc3339-validator
"""

import argparse
import json
import pathlib
import sys

try:
    import jsonschema
    import regress
    import rfc3339_validator  # noqa: F401  (jsonschema checks date-time only when this is importable)
    from jsonschema import Draft202012Validator, ValidationError, validators
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012
except ImportError as missing:  # pragma: no cover
    sys.exit(f"reference-validate: {missing.name} is missing; install with: python3 -m pip install jsonschema regress rfc3339-validator")

_patterns: dict[str, "regress.Regex"] = {}


def ecma_pattern(validator, pattern, instance, schema):
    """The `pattern` keyword under ECMA-262 semantics (unicode mode), as JSON Schema specifies."""
    if not validator.is_type(instance, "string"):
        return
    regex = _patterns.get(pattern)
    if regex is None:
        regex = _patterns[pattern] = regress.Regex(pattern, flags="u")
    if regex.find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def exact_integer(checker, instance):
    """`integer` as ThreatLedger reads it: integral and within ±2^53 (see the module's docstring)."""
    return Draft202012Validator.TYPE_CHECKER.is_type(instance, "integer") and abs(instance) <= 2**53


ReferenceValidator = validators.extend(
    Draft202012Validator,
    {"pattern": ecma_pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", exact_integer),
)
# jsonschema picks the class of each referenced schema by its "$schema"; register this one for
# 2020-12 so that `pattern` is ECMA-262 in every referenced schema too, not only the first.
validators.validates("draft2020-12")(ReferenceValidator)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--schemas", default=str(pathlib.Path(__file__).resolve().parent.parent / "schemas"))
    parser.add_argument("cases")
    arguments = parser.parse_args()

    documents = {}
    for path in sorted(pathlib.Path(arguments.schemas).glob("*.schema.json")):
        documents[path.name] = json.loads(path.read_text(encoding="utf-8"))
    registry = Registry().with_resources(
        (document["$id"], Resource.from_contents(document, default_specification=DRAFT202012)) for document in documents.values()
    )
    checker = Draft202012Validator.FORMAT_CHECKER
    for needed in ("date", "date-time", "uuid"):
        if needed not in checker.checkers:
            sys.exit(f"reference-validate: jsonschema cannot check format {needed!r} here")
    compiled = {name: ReferenceValidator(document, registry=registry, format_checker=checker) for name, document in documents.items()}

    out = sys.stdout
    with open(arguments.cases, encoding="utf-8") as cases:
        for number, line in enumerate(cases, start=1):
            case = json.loads(line)
            validator = compiled.get(case["schema"])
            if validator is None:
                sys.exit(f"{arguments.cases}:{number}: no schema named {case['schema']!r} in {arguments.schemas}")
            error = jsonschema.exceptions.best_match(validator.iter_errors(case["instance"]))
            if error is None:
                out.write('{"valid":true}\n')
            else:
                out.write(json.dumps({"valid": False, "error": f"{error.json_path}: {error.message}"[:300]}, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
