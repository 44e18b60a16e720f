#!/usr/bin/env bash
# Installs what the test suite needs beyond the .NET SDK: Debian's Chromium (browser tests drive it with
# Playwright through its executable path; Playwright's own browser download does not work here) and the
# npm packages the build embeds (plotly.js-dist-min). Safe to run again: it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "install-test-deps: installing Debian's chromium (for the HTML report tests)" >&2
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
      echo "install-test-deps: chromium is missing and this user cannot install it; run: apt-get install -y chromium" >&2
      exit 1
    fi
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
echo "install-test-deps: $(chromium --version 2>/dev/null || echo 'chromium missing')" >&2

# script(1) runs `leaklab watch` in a pseudo-terminal (WatchTimingTests); Debian ships it in bsdutils (essential).
if ! command -v script >/dev/null 2>&1; then
  echo "install-test-deps: script(1) is missing (the watch progress-line test needs it); run: apt-get install -y bsdutils" >&2
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "install-test-deps: npm is missing; install Node.js (Debian: apt-get install -y nodejs npm)" >&2
  exit 1
fi
if [ -f src/LeakLab.Presentation/js/package.json ] && [ ! -d src/LeakLab.Presentation/js/node_modules/plotly.js-dist-min ]; then
  echo "install-test-deps: npm install (plotly.js-dist-min)" >&2
  (cd src/LeakLab.Presentation/js && npm install --no-audit --no-fund --loglevel=error)
fi

# --- Notebooks in the real client: Debian's Jupyter, the dotnet-interactive kernel (repo-local tool folder .tools/),
# its .net-csharp kernelspec, and the LeakLab.Interactive package packed into ~/.leaklab/packages (a NuGet source).
# The notebook tests start the kernel with .tools on PATH (the kernelspec runs `dotnet interactive`).
# `jupyter --version` asks Jupyter's own Python (python3 on PATH may be another one).
jupyter_parts=$(jupyter --version 2>/dev/null | grep -E '^(nbconvert|nbclient|ipykernel|jupyter_client) ' | grep -vc 'not installed' || true)
if [ "$jupyter_parts" != 4 ]; then
  echo "install-test-deps: installing Debian's Jupyter (nbconvert, nbclient, ipykernel)" >&2
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    jupyter-nbconvert jupyter-client jupyter-core python3-nbclient python3-ipykernel >/dev/null
fi
interactive_version=1.0.712001
installed=$(.tools/dotnet-interactive --version 2>/dev/null | cut -d+ -f1 || true)
if [ "$installed" != "$interactive_version" ]; then
  echo "install-test-deps: installing the dotnet-interactive tool ${interactive_version} into .tools/" >&2
  dotnet tool uninstall Microsoft.dotnet-interactive --tool-path .tools >/dev/null 2>&1 || true
  dotnet tool install Microsoft.dotnet-interactive --version "$interactive_version" --tool-path .tools >/dev/null
fi
if ! jupyter kernelspec list 2>/dev/null | grep -q '^ *\.net-csharp '; then
  echo "install-test-deps: registering the .net-csharp Jupyter kernel" >&2
  PATH="$PWD/.tools:$PATH" .tools/dotnet-interactive jupyter install >/dev/null
fi
if ! ls "${LEAKLAB_PACKAGES:-$HOME/.leaklab/packages}"/LeakLab.Interactive.*.nupkg >/dev/null 2>&1; then
  scripts/pack-notebook-package.sh >/dev/null
fi
echo "install-test-deps: Jupyter (nbconvert, nbclient, ipykernel), the .net-csharp kernel, dotnet-interactive ${interactive_version} in .tools/" >&2
# Peer tools the correctness tests use as oracles (issue 8): dotnet-dump (dumpheap -stat, gcroot) and
# dotnet-gcdump (collect, report), in the repo-local .tools/ folder (gitignored), only when missing.
for tool in dotnet-dump dotnet-gcdump; do
  if [ ! -x ".tools/$tool" ]; then
    echo "install-test-deps: dotnet tool install $tool 10.0.750501 into .tools/" >&2
    dotnet tool install "$tool" --version 10.0.750501 --tool-path .tools >/dev/null
  fi
done
