#!/usr/bin/env python3
"""Lists the Prometheus series that Tollgate's dashboard and alert rules query.

Usage:
    python3 docs/grafana/check-dashboard.py [--all] [FILE ...]
    python3 docs/grafana/check-dashboard.py --scrape SCRAPE.txt [FILE ...]
    python3 docs/grafana/check-dashboard.py --as-rules [FILE ...]

FILE: Grafana dashboard JSON (*.json) or Prometheus rule files (*.yml, *.yaml). Default: the two files beside this
script, tollgate-dashboard.json and alerts.yml.

Output (default mode): every series name that a panel query, a dashboard variable query or an alert expression
selects, exactly as written there (so `tollgate_access_check_seconds_bucket`, not the timer's base name), one per
line, sorted, unique, nothing else on stdout. Series that Prometheus makes itself rather than scrapes (`up`) are left
out unless --all is given: every printed name must appear in a scrape of /actuator/prometheus.

--scrape SCRAPE.txt: reads a saved scrape (`curl -s localhost:9091/actuator/prometheus > SCRAPE.txt`), prints each
name the files use but the scrape lacks, and exits 1 if there is any (0 otherwise).

--as-rules: prints a Prometheus rule file with one recording rule per expression, Grafana variables replaced by
plain values, so that `promtool check rules` can parse every dashboard query.

Only the standard library is used. The rule-file reader understands the shape of alerts.yml (`expr:` as a plain,
quoted or block scalar); it is not a general YAML parser.
"""
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_FILES = [os.path.join(HERE, "tollgate-dashboard.json"), os.path.join(HERE, "alerts.yml")]

# Series Prometheus records about the scrape itself: never in the application's exposition.
SYNTHETIC = {"up"}

# PromQL words that look like identifiers but are not series names.
KEYWORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and", "or", "unless",
    "atan2", "inf", "nan", "start", "end",
}
# Clauses whose parenthesised argument is a list of label names, not an expression.
LABEL_LIST = re.compile(r"\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)")
IDENT = re.compile(r"(?<![\w$.:])([A-Za-z_:][A-Za-z0-9_:]*)")

# Values that stand in for Grafana's variables when an expression is handed to promtool.
GRAFANA_VARS = {
    "$__rate_interval": "1m", "$__interval": "1m", "$__range": "1h",
    "$application": "tollgate", "$instance": ".*", "$route": ".*",
}


def strip_strings(expr):
    return re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)


def series_names(expr):
    """Series names selected by one PromQL expression (Grafana variables allowed)."""
    label_values = re.fullmatch(r"\s*label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", expr, re.S)
    if label_values:
        expr = label_values.group(1)
    elif re.fullmatch(r"\s*label_values\(\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*", expr):
        return set()
    text = strip_strings(expr)
    text = re.sub(r"\{[^}]*\}", " ", text)      # label matchers
    text = re.sub(r"\[[^\]]*\]", " ", text)     # range and subquery selectors
    text = LABEL_LIST.sub(" ", text)
    names = set()
    for match in IDENT.finditer(text):
        word = match.group(1)
        following = text[match.end():].lstrip()
        if following.startswith("("):           # a function or an aggregation
            continue
        if word.lower() in KEYWORDS:
            continue
        names.add(word)
    return names


def dashboard_expressions(path):
    with open(path, encoding="utf-8") as f:
        dashboard = json.load(f)
    found = []

    def walk_panels(panels):
        for panel in panels or []:
            for target in panel.get("targets", []):
                if target.get("expr"):
                    found.append((panel.get("title", ""), target["expr"]))
            walk_panels(panel.get("panels"))

    walk_panels(dashboard.get("panels"))
    for variable in dashboard.get("templating", {}).get("list", []):
        if variable.get("type") != "query":
            continue
        query = variable.get("query")
        if isinstance(query, dict):
            query = query.get("query")
        if query:
            found.append(("$" + variable.get("name", ""), query))
    return found


def rule_expressions(path):
    """(rule name, expr) pairs of a rule file shaped like alerts.yml."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    found = []
    name = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        named = re.match(r"\s*-?\s*(alert|record):\s*(\S+)", line)
        if named:
            name = named.group(2)
        m = re.match(r"^(\s*)(?:-\s*)?expr:\s*(.*)$", line)
        if not m:
            i += 1
            continue
        indent, value = len(m.group(1)), m.group(2).strip()
        if value[:1] in ("|", ">"):
            block = []
            i += 1
            while i < len(lines) and (not lines[i].strip() or len(lines[i]) - len(lines[i].lstrip()) > indent):
                block.append(lines[i].strip())
                i += 1
            found.append((name, " ".join(part for part in block if part)))
            continue
        if value[:1] in ("'", '"'):
            value = value[1:-1]
            if m.group(2).strip()[0] == "'":
                value = value.replace("''", "'")
        found.append((name, value))
        i += 1
    return found


def expressions(paths):
    found = []
    for path in paths:
        if path.endswith(".json"):
            found += dashboard_expressions(path)
        else:
            found += rule_expressions(path)
    return found


def scraped_names(path):
    names = set()
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                names.add(re.match(r"[A-Za-z_:][A-Za-z0-9_:]*", line).group(0))
    return names


def as_rules(found):
    out = ["groups:", "  - name: dashboard-expressions", "    rules:"]
    for index, (_, expr) in enumerate(found):
        for variable in sorted(GRAFANA_VARS, key=len, reverse=True):
            expr = expr.replace(variable, GRAFANA_VARS[variable])
        if expr.startswith("label_values("):
            inner = re.fullmatch(r"label_values\((.*),\s*[A-Za-z_][A-Za-z0-9_]*\s*\)", expr, re.S)
            if not inner:
                continue
            expr = inner.group(1)
        out.append(f"      - record: dashboard:expr_{index}")
        out.append("        expr: " + json.dumps(expr))
    return "\n".join(out) + "\n"


def main(argv):
    args = list(argv)
    include_all = "--all" in args
    want_rules = "--as-rules" in args
    scrape = None
    if "--scrape" in args:
        at = args.index("--scrape")
        scrape = args[at + 1]
        del args[at:at + 2]
    paths = [a for a in args if not a.startswith("--")] or DEFAULT_FILES
    found = expressions(paths)
    if want_rules:
        sys.stdout.write(as_rules(found))
        return 0
    names = set()
    for _, expr in found:
        names |= series_names(expr)
    if not include_all:
        names -= SYNTHETIC
    if scrape:
        missing = sorted(names - scraped_names(scrape))
        for name in missing:
            print(name)
        return 1 if missing else 0
    for name in sorted(names):
        print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
