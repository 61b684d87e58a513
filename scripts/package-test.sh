#!/usr/bin/env bash
# Installs KTO Desk's Debian package into a clean Debian 12 root and opens it, as a user
# who is not a developer would: a fresh minimal system (debootstrap), `apt-get install` of
# the package with nothing but the dependencies it declares, then the installed
# /usr/bin/kto-desk started in that root by an ordinary user with an empty profile, under
# Xvfb. Passes when the first screen is shown (the app logs "welcome ready"), the window is
# titled KTO Desk, its database was created in the user's data folder and the desktop entry
# starts the installed binary. Leaves a screenshot in target/tmp/package-first-screen.png.
#
#   scripts/package-test.sh PACKAGE.deb        # as root (debootstrap and chroot need it)
#
# DEBIAN_MIRROR overrides the mirror (default: deb.debian.org); KEEP_ROOT=1 keeps the root.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $# -eq 1 && -f $1 ]] || { echo "usage: $0 PACKAGE.deb" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "$0 needs root: debootstrap and chroot" >&2; exit 2; }
for tool in debootstrap Xvfb xwininfo import; do
  command -v "$tool" >/dev/null || { echo "$0 needs $tool (packages debootstrap, xvfb, x11-utils, imagemagick)" >&2; exit 2; }
done

deb=$(realpath "$1")
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
mkdir -p target/tmp
root=$(mktemp -d "$PWD/target/tmp/package-root.XXXXXX")
chmod 755 "$root" # mktemp makes it 0700; the user inside must reach /
shot=$PWD/target/tmp/package-first-screen.png
display=:93
mounts=()

cleanup() {
  set +e
  [[ -n ${app:-} ]] && kill "$app" 2>/dev/null && wait "$app" 2>/dev/null
  [[ -n ${xvfb:-} ]] && kill "$xvfb" 2>/dev/null
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do umount -l "${mounts[i]}"; done
  # Never delete through a mount that is still in place (it would reach the host's /dev).
  if grep -q " $root/" /proc/mounts; then
    echo "mounts are left under $root; not removing it" >&2
  elif [[ ${KEEP_ROOT:-0} != 1 ]]; then
    rm -rf "$root"
  fi
}
trap cleanup EXIT

mount_into() { # SOURCE TARGET [mount options...]
  local source=$1 target=$root$2
  shift 2
  mkdir -p "$target"
  mount "$@" "$source" "$target"
  mounts+=("$target")
}

step() { printf '%s  %s\n' "$(date -u +%H:%M:%S)" "$*"; }

step "debootstrap a minimal Debian 12 into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
  tail -20 "$root.debootstrap.log" >&2; exit 1; }
rm -f "$root.debootstrap.log"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount_into proc /proc -t proc
mount_into /sys /sys --rbind
mount_into /dev /dev --rbind

step "apt-get install the package and the dependencies it declares, nothing recommended"
cp "$deb" "$root/tmp/kto-desk.deb"
chroot "$root" apt-get update -qq
DEBIAN_FRONTEND=noninteractive chroot "$root" \
  apt-get install -y -qq --no-install-recommends /tmp/kto-desk.deb >/dev/null
chroot "$root" dpkg -s kto-desk | grep -E '^(Package|Version|Depends):'
desktop=$(grep -l '^Exec=kto-desk' "$root"/usr/share/applications/*.desktop) || {
  echo "no desktop entry starts kto-desk" >&2; exit 1; }
step "desktop entry: ${desktop#"$root"}"

step "start /usr/bin/kto-desk as a new user with an empty profile under Xvfb"
chroot "$root" useradd --create-home --shell /bin/sh officer
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
for _ in $(seq 50); do [[ -S /tmp/.X11-unix/X${display#:} ]] && break; sleep 0.1; done
mount_into /tmp/.X11-unix /tmp/.X11-unix --bind
log=$root/home/officer/kto-desk.log
chroot --userspec=officer:officer "$root" env -i HOME=/home/officer USER=officer \
  PATH=/usr/bin:/bin DISPLAY="$display" LANG=C.UTF-8 \
  /usr/bin/kto-desk 2>"$log" &
app=$!
for _ in $(seq 1200); do
  grep -q "welcome ready" "$log" 2>/dev/null && break
  kill -0 "$app" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q "welcome ready" "$log"; then
  echo "the installed app did not show its first screen; its log:" >&2
  cat "$log" >&2
  exit 1
fi
step "$(grep -o 'welcome ready.*' "$log")"
sleep 1
import -display "$display" -window root "$shot"
xwininfo -display "$display" -root -tree | grep -q '"KTO Desk"' || {
  echo "no window titled KTO Desk" >&2; exit 1; }
db=$(find "$root/home/officer" -name kto-desk.sqlite3 -print -quit)
[[ -n $db ]] || { echo "no database in the user's data folder" >&2; exit 1; }
step "database: ${db#"$root"}"
step "screenshot: target/tmp/package-first-screen.png"
echo "The package installs on a clean Debian 12 and opens on its first screen."
