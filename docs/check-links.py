#!/usr/bin/env python3
"""Checks every relative Markdown link of the repository: the file exists and, for `file#anchor`, the anchor is a
heading of that file (GitHub's rule: lower case, punctuation dropped, spaces to '-') or an explicit <a id="...">.

    python3 docs/check-links.py            # from the repository root; exits 1 and lists each broken link

External links (http, https, mailto) are not fetched. Code blocks are skipped.
"""
import os
import re
import subprocess
import sys

LINK = re.compile(r'\]\(([^)\s]+)(?:\s+"[^"]*")?\)')
HEADING = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')
EXPLICIT_ANCHOR = re.compile(r'<a\s+(?:id|name)="([^"]+)"')


def github_anchor(heading):
    text = re.sub(r'`([^`]*)`', r'\1', heading)            # code spans keep their text
    text = re.sub(r'\[([^\]]*)\]\([^)]*\)', r'\1', text)   # links keep their text
    text = re.sub(r'<[^>]+>', '', text)                    # inline HTML dropped
    text = text.strip().lower()
    text = re.sub(r'[^\w\- ]', '', text)                   # punctuation dropped (letters, digits, _ and - stay)
    return text.replace(' ', '-')


def lines_outside_code(path):
    fenced = False
    with open(path, encoding='utf-8') as f:
        for number, line in enumerate(f, 1):
            if line.lstrip().startswith('```'):
                fenced = not fenced
                continue
            if not fenced:
                yield number, line


def anchors(path, cache={}):
    if path not in cache:
        found, seen = set(), {}
        for _, line in lines_outside_code(path):
            m = HEADING.match(line)
            if m:
                base = github_anchor(m.group(2))
                n = seen.get(base, 0)
                seen[base] = n + 1
                found.add(base if n == 0 else f'{base}-{n}')
            found.update(EXPLICIT_ANCHOR.findall(line))
        cache[path] = found
    return cache[path]


def main():
    files = subprocess.run(['git', 'ls-files', '*.md', '**/*.md'], capture_output=True, text=True,
                           check=True).stdout.split()
    files = sorted({f for f in files if os.path.exists(f)} | {f for f in sys.argv[1:]})
    broken, checked = [], 0
    for source in files:
        for number, line in lines_outside_code(source):
            for target in LINK.findall(re.sub(r'`[^`]*`', '', line)):
                if re.match(r'^[a-z]+:', target):
                    continue
                checked += 1
                path, _, anchor = target.partition('#')
                resolved = os.path.normpath(os.path.join(os.path.dirname(source), path)) if path else source
                if not os.path.exists(resolved):
                    broken.append(f'{source}:{number}: {target}: no file {resolved}')
                elif anchor and resolved.endswith('.md') and anchor not in anchors(resolved):
                    broken.append(f'{source}:{number}: {target}: no heading #{anchor} in {resolved}')
    for b in broken:
        print(b)
    print(f'{checked} relative links in {len(files)} Markdown files, {len(broken)} broken')
    return 1 if broken else 0


if __name__ == '__main__':
    sys.exit(main())
