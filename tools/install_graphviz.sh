#!/usr/bin/env sh
# Install graphviz's `dot` program (used to render graph drawings) if it is missing.
# Uses apt-get (as root, or with sudo), brew or conda when one is there; otherwise says how.
if command -v dot >/dev/null 2>&1; then
  exit 0
fi
if command -v apt-get >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
  if [ "$SUDO" != "none" ]; then
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq graphviz >/dev/null && exit 0
  fi
elif command -v brew >/dev/null 2>&1; then
  brew install graphviz && exit 0
elif command -v conda >/dev/null 2>&1; then
  conda install -y -c conda-forge graphviz && exit 0
fi
echo "graphviz's 'dot' program is not installed and could not be installed automatically."
echo "Install it (https://graphviz.org/download/) to render graph pictures; everything else works."
exit 0
