"""Print BuildKit's own parse (PyPI `dockerfile`) of each file as JSON lines.

Usage: python buildkit_parse.py FILE...
Each output line is {"file": FILE, "commands": [...]} or {"file": FILE, "error": "..."},
with the fields of `dockerfile.Command` as `layerlens parse --format json` prints them.
"""

import json
import sys

import dockerfile


def command_to_dict(command):
    return {
        "cmd": command.cmd,
        "sub_cmd": command.sub_cmd,
        "json": command.json,
        "original": command.original,
        "start_line": command.start_line,
        "end_line": command.end_line,
        "flags": list(command.flags),
        "value": list(command.value),
        "heredocs": [
            {"name": h.name, "file_descriptor": h.file_descriptor, "content": h.content}
            for h in command.heredocs
        ],
    }


def main(paths):
    for path in paths:
        try:
            commands = [command_to_dict(c) for c in dockerfile.parse_file(path)]
            record = {"file": path, "commands": commands}
        except (dockerfile.GoParseError, dockerfile.GoIOError) as error:
            record = {"file": path, "error": str(error)}
        print(json.dumps(record))


if __name__ == "__main__":
    main(sys.argv[1:])
