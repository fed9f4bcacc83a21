#!/usr/bin/env bash
# The man page and the shell completions (issue #14): `cmake --install` into
# a scratch prefix puts tinyfit.1 in share/man/man1, the bash completion in
# share/bash-completion/completions and the zsh one in share/zsh/site-functions;
# the page renders without a warning (groff -ww, and man -l, when installed);
# every option of every option table in src/cli/ appears in the page; the bash
# completion loads, completes a command prefix, a device id, an option and a
# format; the zsh file parses (zsh -n, when zsh is installed).
# usage: cli_docs.sh BUILD_DIR SOURCE_DIR
set -u
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ ! -e "$build/cli-docs/tinyfit.1" ]; then
  echo "skipped: the build generated no man page (python3 missing at configure time)"
  exit 77
fi
cmake --install "$build" --prefix "$tmp/p" >/dev/null || exit 1
fail=0
ok() { echo "ok: $1"; }
bad() { echo "FAIL: $1"; fail=1; }
man1=$tmp/p/share/man/man1/tinyfit.1
bashc=$tmp/p/share/bash-completion/completions/tinyfit
zshc=$tmp/p/share/zsh/site-functions/_tinyfit
for f in "$man1" "$bashc" "$zshc"; do
  if [ -s "$f" ]; then ok "installed ${f#$tmp/p/}"; else bad "missing ${f#$tmp/p/}"; fi
done

# renders without warnings
if command -v groff >/dev/null; then
  w=$(groff -man -Tutf8 -ww -z "$man1" 2>&1)
  if [ -z "$w" ]; then ok "groff -ww renders it silently"; else bad "groff warnings: $w"; fi
else
  echo "skip: groff is not installed"
fi
if command -v man >/dev/null; then
  out=$(MANWIDTH=80 man --warnings -l "$man1" 2>"$tmp/man.err")
  if [ -s "$tmp/man.err" ]; then bad "man -l warnings: $(cat "$tmp/man.err")"
  elif printf '%s\n' "$out" | grep -q 'tinyfit - will this neural network run'; then ok "man -l renders NAME"
  else bad "man -l output lacks the NAME line"; fi
else
  echo "skip: man is not installed"
fi

# every option the code defines is in the page (the option tables of src/cli)
opts=$(grep -ohE '^\s*\{ "[a-z][a-z0-9-]*", ('"'"'.'"'"'|0), [01],' "$src"/src/cli/*.c "$src"/src/cli/cli.h |
       sed -E 's/^\s*\{ "([a-z0-9-]+)".*/\1/' | sort -u)
n=0
for o in $opts; do
  n=$((n + 1))
  esc=$(printf '%s' "$o" | sed 's/-/\\\\-/g')
  grep -q -- "\\\\-\\\\-$esc\\\\fR" "$man1" || bad "option --$o of src/cli is not in tinyfit.1"
  grep -q -- "--$o" "$bashc" || bad "option --$o is not in the bash completion"
  grep -q -- "--$o" "$zshc" || bad "option --$o is not in the zsh completion"
done
[ "$n" -gt 20 ] && ok "$n options of src/cli in the page and both completions" || bad "only $n options found in src/cli"

# the bash completion
got=$(bash -c '
  source "$1" || exit 1
  complete -p tinyfit || exit 1
  COMP_WORDS=(tinyfit che); COMP_CWORD=1; _tinyfit; echo "cmd=${COMPREPLY[*]}"
  COMP_WORDS=(tinyfit check m.json --device nano33b); COMP_CWORD=4; _tinyfit; echo "dev=${COMPREPLY[*]}"
  COMP_WORDS=(tinyfit devices show rpi_pic); COMP_CWORD=3; _tinyfit; echo "show=${COMPREPLY[*]}"
  COMP_WORDS=(tinyfit compare m.json --fits); COMP_CWORD=3; _tinyfit; echo "opt=${COMPREPLY[*]}"
  COMP_WORDS=(tinyfit layers m.json --format c); COMP_CWORD=4; _tinyfit; echo "fmt=${COMPREPLY[*]}"
' _ "$bashc" 2>&1)
expect() { if printf '%s\n' "$got" | grep -qx -- "$1"; then ok "bash: $1"; else bad "bash: expected '$1' in: $got"; fi; }
expect "complete -o filenames -F _tinyfit tinyfit"
expect "cmd=check"
expect "dev=nano33ble_sense"
expect "show=rpi_pico rpi_pico2"
expect "opt=--fits-only"
expect "fmt=csv"

if command -v zsh >/dev/null; then
  if zsh -n "$zshc"; then ok "zsh -n parses _tinyfit"; else bad "zsh -n failed"; fi
else
  echo "skip: zsh is not installed"
fi
exit $fail
