#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# pinstat's version: dkms.conf's PACKAGE_VERSION for a release tagged
# v<version>, else that version plus the commit, "+g<hash>", and ".dirty"
# for uncommitted changes (git describe). Without git, the bare version.
cd "$(dirname "$0")/.."
base=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
describe=$(git describe --tags --always --dirty --match "v$base" 2>/dev/null) ||
	{ echo "$base"; exit 0; }
case $describe in
"v$base") echo "$base" ;;
"v$base-dirty") echo "$base+dirty" ;;
v*) echo "$base+g$(echo "$describe" | sed 's/^.*-g//; s/-dirty$/.dirty/')" ;;
*) echo "$base+g$(echo "$describe" | sed 's/-dirty$/.dirty/')" ;;
esac
