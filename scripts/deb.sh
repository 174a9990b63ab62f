#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# make deb: the Debian packages pinstat (the CLI, its exporter service)
# and pinstat-dkms (the module's sources, for DKMS), built by
# dpkg-buildpackage (source and binaries) in build/deb/ from a copy of
# the tracked files as they are in the tree, as the version
# scripts/version.sh says: debian/changelog gets an entry for it in the
# copy. Then lintian on the .changes: any error or warning fails (the
# tags to leave are overridden in debian/*.lintian-overrides, saying why).
# Prints the paths of the .debs.
set -eu
cd "$(dirname "$0")/.."
. scripts/lib.sh
install_missing build-essential dpkg-dev debhelper dh-dkms lintian

version=$(scripts/version.sh)
dpkg --validate-version "$version"
out=build/deb
src=$out/pinstat-$version
rm -rf "$out"
mkdir -p "$src"
# what CI's clean clone has: the tracked files (uncommitted changes too,
# which version.sh calls .dirty)
git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$src"

# An entry for this version on top of the committed changelog, dated as
# the commit (the build is then reproducible), or now for a dirty tree.
top=$(dpkg-parsechangelog -l debian/changelog -S Version)
if [ "$top" != "$version" ]; then
	case $version in
	*dirty) when=$(date +%s) ;;
	*) when=$(git log -1 --format=%ct) ;;
	esac
	maint=$(sed -n 's/^Maintainer: //p' debian/control)
	{
		printf 'pinstat (%s) unstable; urgency=medium\n\n' "$version"
		printf '  * Snapshot of %s.\n\n' \
			"$(git describe --always --dirty 2>/dev/null || echo "$version")"
		printf ' -- %s  %s\n\n' "$maint" "$(LC_ALL=C date -R -u -d "@$when")"
		cat debian/changelog
	} > "$src/debian/changelog"
fi

echo "deb: dpkg-buildpackage of pinstat $version in $src" >&2
(cd "$src" && dpkg-buildpackage -us -uc) > "$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	echo "deb: dpkg-buildpackage failed; see $out/build.log" >&2
	exit 1
}

echo "deb: lintian" >&2
changes=$(ls "$out"/pinstat_"$version"_*.changes)
lintian --fail-on error,warning "$changes" >&2 || {
	echo "deb: lintian finds errors or warnings" >&2
	exit 1
}
# for make check-deb: these .debs are whole and lintian clean
echo "$version" > "$out/lintian-clean"
ls "$out"/*.deb
