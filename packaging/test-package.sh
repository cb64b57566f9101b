#!/usr/bin/env bash
# `make test-package`: check the .deb that `make package` built, as a school's machine would
# see it. Unpacks it into a scratch root (no dpkg -i: the build machine stays clean), checks
# the package's metadata and desktop integration files, that every library the bundle needs
# is either inside it or comes from a package in Depends, and runs the installed program
# (--version, --self-test, --screenshot) offscreen without network access.
# Prints one line a check and exits non-zero when any failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

VPY=.venv/bin/python
APP_ID=org.backpropgui.BackpropGUI
passed=0
failed=0
ok() { echo "ok    $*"; passed=$((passed + 1)); }
fail() { echo "FAIL  $*"; failed=$((failed + 1)); }
check() {  # check DESCRIPTION COMMAND...: ok when COMMAND succeeds
    local what="$1"; shift
    if "$@" >/tmp/test-package.$$ 2>&1; then ok "$what"; else fail "$what"; sed 's/^/      /' /tmp/test-package.$$ | tail -20; fi
    rm -f /tmp/test-package.$$
}

start=$SECONDS
version="$($VPY -c 'import backprop_gui; print(backprop_gui.__version__)')"
arch="$(dpkg --print-architecture)"
debver="$($VPY -c 'import sys; sys.path.insert(0, "packaging"); import build_deb; print(build_deb.deb_version(sys.argv[1]))' "$version")"
deb="dist/backprop-gui_${debver}_${arch}.deb"
if [ ! -f "$deb" ]; then
    echo "FAIL  no $deb: run make package first"
    exit 1
fi

scratch="$(mktemp -d /tmp/backprop-gui-test.XXXXXX)"
trap 'rm -rf "$scratch"' EXIT
root="$scratch/root"
home="$scratch/home"
mkdir -p "$root" "$home"

# --- package metadata -------------------------------------------------------------------
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = "backprop-gui" ] && ok "Package: backprop-gui" || fail "Package is '$(field Package)'"
[ "$(field Version)" = "$debver" ] && ok "Version: $debver (from pyproject.toml)" || fail "Version is '$(field Version)', expected $debver"
[ "$(field Architecture)" = "$arch" ] && ok "Architecture: $arch" || fail "Architecture is '$(field Architecture)'"
depends="$(field Depends)"
for dep in libc6 libgl1 libegl1 libfontconfig1 fonts-dejavu-core; do
    [[ ", $depends," == *", $dep"[\ ,]* ]] || fail "Depends lacks $dep: $depends"
done
ok "Depends: $depends"

listing="$(dpkg-deb -c "$deb")"
for path in ./usr/bin/backprop-gui ./opt/backprop-gui/backprop-gui \
    ./usr/share/applications/$APP_ID.desktop ./usr/share/mime/packages/$APP_ID.xml \
    ./usr/share/metainfo/$APP_ID.metainfo.xml ./usr/share/icons/hicolor/scalable/apps/$APP_ID.svg \
    ./usr/share/doc/backprop-gui/copyright ./opt/backprop-gui/_internal/resources/icons/backprop-gui.svg \
    ./opt/backprop-gui/_internal/resources/help/index.html \
    ./opt/backprop-gui/_internal/resources/help/shots/window.png; do
    grep -q " $path\$" <<<"$listing" || fail "the package lacks $path"
done
for size in 16 24 32 48 64 128 256; do
    grep -q " ./usr/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png\$" <<<"$listing" \
        || fail "the package lacks the ${size}x${size} icon"
done
ok "dpkg-deb -c lists the launcher, bundle, .desktop, MIME type, metainfo, icons 16-256 px + SVG, the User Guide"
dpkg-deb --ctrl-tarfile "$deb" | tar -t | grep -q '^./postinst$' && ok "postinst present" || fail "no postinst"

check "unpack with dpkg-deb -x" dpkg-deb -x "$deb" "$root"

# --- desktop integration files ----------------------------------------------------------
if command -v desktop-file-validate >/dev/null 2>&1; then
    check "desktop-file-validate $APP_ID.desktop" desktop-file-validate "$root/usr/share/applications/$APP_ID.desktop"
else
    echo "skip  desktop-file-validate not installed"
fi
if command -v appstreamcli >/dev/null 2>&1; then
    check "appstreamcli validate $APP_ID.metainfo.xml" appstreamcli validate --no-net "$root/usr/share/metainfo/$APP_ID.metainfo.xml"
else
    echo "skip  appstreamcli not installed"
fi
grep -q "version=\"$version\"" "$root/usr/share/metainfo/$APP_ID.metainfo.xml" \
    && ok "metainfo release is $version" || fail "metainfo release is not $version"
if command -v update-mime-database >/dev/null 2>&1; then
    mkdir -p "$scratch/mime/packages"
    cp "$root/usr/share/mime/packages/$APP_ID.xml" "$scratch/mime/packages/"
    if update-mime-database "$scratch/mime" >/dev/null 2>&1 \
        && grep -q 'application/x-backprop-gui-project:\*\.bpnet' "$scratch/mime/globs2"; then
        ok "MIME database maps *.bpnet to application/x-backprop-gui-project"
    else
        fail "update-mime-database did not register *.bpnet"
    fi
else
    echo "skip  update-mime-database not installed"
fi
check "launcher /usr/bin/backprop-gui is valid sh that runs /opt/backprop-gui/backprop-gui" \
    bash -c "sh -n '$root/usr/bin/backprop-gui' && grep -q '^exec /opt/backprop-gui/backprop-gui \"\$@\"\$' '$root/usr/bin/backprop-gui'"

# --- libraries --------------------------------------------------------------------------
# ldd as the program will load them: the bootloader puts _internal/ first on the search path.
app="$root/opt/backprop-gui"
bundle_ldd() {
    { find "$app" -name '*.so*' -type f -print0 | xargs -0 -n 50 env LD_LIBRARY_PATH="$app/_internal" ldd
      env LD_LIBRARY_PATH="$app/_internal" ldd "$app/backprop-gui"; } 2>/dev/null
}
lddout="$(bundle_ldd)"
missing="$(grep 'not found' <<<"$lddout" | sort -u)"
[ -z "$missing" ] && ok "every bundled library resolves (ldd)" || fail "unresolved libraries:
$missing"
# Libraries from outside the bundle must come from the packages in Depends or what they
# depend on (libgl1 → libglx0 → libx11-6); apt-cache knows the installed packages offline.
outside="$(awk '/=> \// {print $3} /^\t\/lib/ {print $1}' <<<"$lddout" | grep -v "^$app" | sort -u)"
dep_names="$(tr ',' '\n' <<<"$depends" | awk '{print $1}')"
covered="$(apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
    --no-replaces --no-enhances $dep_names 2>/dev/null | grep -v '^ ' | sed 's/:.*//' | sort -u)"
undeclared=""
for lib in $outside; do
    pkg="$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || true)"
    pkg="${pkg%%:*}"
    grep -qx -- "$pkg" <<<"$covered" || undeclared="$undeclared $lib(${pkg:-no package})"
done
[ -z "$undeclared" ] && ok "the $(wc -w <<<"$outside") libraries taken from the system all come from Depends" \
    || fail "libraries from outside the bundle not covered by Depends:$undeclared"

# --- run the installed program ----------------------------------------------------------
# Hermetic: a scratch HOME, offscreen Qt, and no network (unshare -n) to prove it works offline.
run_env=(env -i PATH=/usr/bin:/bin HOME="$home" XDG_CONFIG_HOME="$home/.config"
         XDG_DATA_HOME="$home/.local/share" XDG_CACHE_HOME="$home/.cache"
         XDG_RUNTIME_DIR="$scratch/run" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen)
mkdir -p "$scratch/run" && chmod 700 "$scratch/run"
offline=()
if unshare -n true 2>/dev/null; then
    offline=(unshare -n)
    echo "note  running the app without network access (unshare -n)"
elif unshare -rn true 2>/dev/null; then
    offline=(unshare -rn)
    echo "note  running the app without network access (unshare -rn)"
else
    echo "note  unshare -n is not permitted here: running the app WITH network access"
fi

# The bundle carries the package's metadata with the same one version number.
if grep -qx "Version: $version" "$app"/_internal/backprop_gui-*.dist-info/METADATA 2>/dev/null; then
    ok "the bundle carries backprop-gui's metadata (Version: $version)"
else
    fail "the bundle lacks backprop_gui-*.dist-info/METADATA with Version: $version"
fi
out="$("${offline[@]}" "${run_env[@]}" "$app/backprop-gui" --version 2>&1)"
[ "$out" = "backprop-gui $version" ] && ok "--version prints 'backprop-gui $version'" || fail "--version printed: $out"

# The launcher, pointed at the unpacked tree instead of /opt.
sed "s|/opt/backprop-gui|$app|" "$root/usr/bin/backprop-gui" >"$scratch/launcher"
out="$("${run_env[@]}" sh "$scratch/launcher" --version 2>&1)"
[ "$out" = "backprop-gui $version" ] && ok "launcher script starts the bundle" || fail "launcher printed: $out"

t=$SECONDS
out="$("${offline[@]}" "${run_env[@]}" "$app/backprop-gui" --self-test 2>&1)"
rc=$?
if [ $rc -eq 0 ] && grep -q "^self-test: .* 0 failed" <<<"$out"; then
    ok "--self-test from the bundle, offline, in $((SECONDS - t)) s: $(grep '^self-test:' <<<"$out")"
else
    fail "--self-test exited $rc:"; sed 's/^/      /' <<<"$out" | tail -30
fi

shot="$scratch/screenshot.png"
t=$SECONDS
out="$("${offline[@]}" "${run_env[@]}" "$app/backprop-gui" --screenshot "$shot" --size 1280x800 2>&1)"
rc=$?
if [ $rc -eq 0 ] && [ -f "$shot" ]; then
    if verdict="$(QT_QPA_PLATFORM=offscreen $VPY packaging/check_screenshot.py "$shot" 1280 800 2>&1)"; then
        ok "--screenshot from the bundle in $((SECONDS - t)) s: $verdict"
    else
        fail "screenshot looks wrong: $verdict"
    fi
    mkdir -p build && cp "$shot" build/package-screenshot.png
else
    fail "--screenshot exited $rc:"; sed 's/^/      /' <<<"$out" | tail -20
fi

# Screens the app builds lazily (pyqtgraph plots, dialogs) import modules only after the
# window shows: import every app module from the bundle to catch one the spec left out.
out="$("${offline[@]}" "${run_env[@]}" BACKPROP_GUI_CHECK_IMPORTS=1 "$app/backprop-gui" 2>&1)"
rc=$?
summary="$(grep '^imports:' <<<"$out")"
if [ $rc -eq 0 ] && [[ "$summary" == *" 0 failed" ]]; then
    ok "every app module imports from the bundle: $summary"
else
    fail "imports from the bundle (exit $rc):"; sed 's/^/      /' <<<"$out" | tail -30
fi

# Run the window as a user would for a few seconds: nothing may print a Python traceback.
t=$SECONDS
out="$("${offline[@]}" "${run_env[@]}" timeout 8 "$app/backprop-gui" 2>&1)"
rc=$?
if [ $rc -eq 124 ] && ! grep -q "Traceback" <<<"$out"; then
    ok "the window runs offscreen for 8 s without an error"
else
    fail "the running window (exit $rc, 124 = still running as it should):"; sed 's/^/      /' <<<"$out" | tail -30
fi

echo
echo "Checked $deb in $((SECONDS - start)) s; the screenshot is kept in build/package-screenshot.png."
# The last line in the plain 'N passed, N failed' form that CI reads.
echo "test-package: $passed passed, $failed failed"
[ $failed -eq 0 ]
