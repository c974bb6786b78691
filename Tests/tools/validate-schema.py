#!/usr/bin/env python3
"""Validates JSON documents against the Sluice JSON Schema (draft 2020-12).

usage: validate-schema.py SCHEMA DOCUMENT...
Prints one line per document: 'PASS path' or 'FAIL path: first error'. Exits 0 unless the schema itself is
invalid or a file cannot be read (exit 2).
"""
import json
import sys

import jsonschema


def main(argv):
    with open(argv[1]) as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in argv[2:]:
        with open(path) as f:
            document = json.load(f)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path)
            print(f"FAIL {path}: {where}: {errors[0].message}")
        else:
            print(f"PASS {path}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except (OSError, ValueError, jsonschema.SchemaError) as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
