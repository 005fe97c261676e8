#!/usr/bin/env python3
"""The JSON Schema shipped with the SDK (sdk/schema/instrument-definition.schema.json) accepts every
definition Mindset ships or generates, and refuses the mistakes a researcher makes, as
`mindset instrument check` does: an editor that reads the schema never calls wrong what the host
accepts, nor right a mistake the schema can see.

usage: definition_schema_test.py SOURCE_DIR MINDSET_BINARY
"""
import copy
import glob
import json
import os
import subprocess
import sys
import tempfile

import jsonschema

source, mindset = sys.argv[1], sys.argv[2]
schema = json.load(open(os.path.join(source, "sdk", "schema", "instrument-definition.schema.json")))
jsonschema.Draft7Validator.check_schema(schema)
validator = jsonschema.Draft7Validator(schema)
failures = []


def schema_problems(definition):
    return [f"{'/'.join(str(p) for p in e.absolute_path)}: {e.message}" for e in validator.iter_errors(definition)]


def checker_accepts(definition, work):
    path = os.path.join(work, "definition.json")
    with open(path, "w") as out:
        json.dump(definition, out, ensure_ascii=False)
    run = subprocess.run([mindset, "instrument", "check", path], capture_output=True, text=True)
    return run.returncode == 0, run.stdout + run.stderr


with tempfile.TemporaryDirectory() as work:
    # Every definition we ship, the SDK's example, the format fixtures and a new project's template.
    subprocess.run([mindset, "instrument", "new", "schema-probe", "--out", work], check=True, capture_output=True)
    valid = sorted(glob.glob(os.path.join(source, "plugins", "*", "definition*.json")))
    valid += [os.path.join(source, "tests", "sdk", "example-plugin", "definition.json")]
    valid += sorted(glob.glob(os.path.join(source, "tests", "fixtures", "src", "formats", "*.json")))
    valid += glob.glob(os.path.join(work, "schema-probe", "**", "*.json"), recursive=True)
    for path in valid:
        problems = schema_problems(json.load(open(path)))
        if problems:
            failures.append(f"{path}: the schema refuses a definition the host accepts: {problems}")
        else:
            print(f"ok     {os.path.relpath(path, work if path.startswith(work) else source)}")
    if not any("schema-probe" in path for path in valid):
        failures.append("`mindset instrument new` wrote no definition .json file")

    base = json.load(open(os.path.join(source, "plugins", "equity-excellence", "definition.json")))

    def variant(edit):
        definition = copy.deepcopy(base)
        edit(definition)
        return definition

    def drop_spanish(d):
        del d["items"][0]["text"]["es"]

    def misspell_reverse_keyed(d):
        d["items"][1]["reverse_keyed"] = True

    def twelve_options(d):
        d["responseScale"]["options"] = [{"code": c, "label": {"en": f"{c}", "es": f"{c}"}} for c in range(1, 13)]

    def code_zero(d):
        d["responseScale"]["options"][0]["code"] = 0

    def spaced_id(d):
        d["id"] = "Equity Excellence"

    def short_version(d):
        d["version"] = "1.0"

    def no_min_answered(d):
        d["scales"][0]["minAnswered"] = 0

    def empty_english_title(d):
        d["title"]["en"] = ""

    def four_unscored(d):
        d["responseScale"]["unscoredOptions"] = [{"code": c, "label": {"en": "x", "es": "x"}} for c in (6, 7, 8, 9)]

    def text_as_string(d):
        d["scales"][0]["title"] = "High expectations"

    def reverse_keyed_as_text(d):
        d["items"][0]["reverseKeyed"] = "yes"

    def tag_as_list(d):
        d["items"][0]["tags"] = ["students"]

    def tag_group_without_values(d):
        d["tagGroups"] = [{"id": "focus", "title": {"en": "Focus", "es": "Enfoque"}, "values": []}]

    def tag_value_without_spanish(d):
        d["tagGroups"] = [{"id": "focus", "title": {"en": "Focus", "es": "Enfoque"},
                           "values": [{"id": "students", "title": {"en": "Students"}, "description": {"en": "S.", "es": "E."}}]}]
        d["items"][0]["tags"] = {"focus": "students"}

    mistakes = [drop_spanish, misspell_reverse_keyed, twelve_options, code_zero, spaced_id, short_version, no_min_answered,
                empty_english_title, four_unscored, text_as_string, reverse_keyed_as_text, tag_as_list, tag_group_without_values,
                tag_value_without_spanish]
    for mistake in mistakes:
        definition = variant(mistake)
        problems = schema_problems(definition)
        accepted, output = checker_accepts(definition, work)
        if not problems:
            failures.append(f"{mistake.__name__}: the schema accepts it")
        if accepted:
            failures.append(f"{mistake.__name__}: `mindset instrument check` accepts it:\n{output}")
        if problems and not accepted:
            print(f"refused {mistake.__name__}: {problems[0]}")

    # Format features the schema must allow: "don't know" outside the scored codes, and item tags (sub-scores).
    def dont_know(d):
        d["responseScale"]["unscoredOptions"] = [{"code": 9, "label": {"en": "Don't know", "es": "No sé"}}]

    def tagged(d):
        d["tagGroups"] = [{"id": "focus", "title": {"en": "Focus", "es": "Enfoque"},
                           "values": [{"id": "students", "title": {"en": "Students", "es": "Estudiantes"},
                                       "description": {"en": "About students.", "es": "Sobre los estudiantes."}}]}]
        d["items"][0]["tags"] = {"focus": "students"}

    for feature in [dont_know, tagged]:
        definition = variant(feature)
        accepted, output = checker_accepts(definition, work)
        if schema_problems(definition) or not accepted:
            failures.append(f"{feature.__name__}: schema {schema_problems(definition)}, checker accepted={accepted}\n{output}")
        else:
            print(f"ok     {feature.__name__}")

if failures:
    print("\n".join(["FAILED:"] + failures), file=sys.stderr)
    sys.exit(1)
print("the schema and `mindset instrument check` agree on every case")
