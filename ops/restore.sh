#!/usr/bin/env bash
# Restores a backup made by ops/backup.sh into an existing, empty PostgreSQL
# database and an empty (or not yet existing) media folder.
#
#   ops/restore.sh BACKUP_FOLDER TARGET_DATABASE_URL TARGET_MEDIA_ROOT
#
# Create the database first (createdb, or CREATE DATABASE as its future
# owner); the script refuses a database that already has tables and a media
# folder that already has files, so a restore never mixes with live data.
# Objects are owned by the user in TARGET_DATABASE_URL (--no-owner).
# Afterwards run, with the restored DATABASE_URL and MEDIA_ROOT:
#   manage.py migrate --check && manage.py verify_reports
set -euo pipefail

die() { echo "restore.sh: $*" >&2; exit 2; }

[ $# -eq 3 ] || die "usage: ops/restore.sh BACKUP_FOLDER TARGET_DATABASE_URL TARGET_MEDIA_ROOT"
backup=$1
target_url=$2
target_media=$3

for file in database.dump media.tar.gz MANIFEST SHA256SUMS; do
    [ -f "$backup/$file" ] || die "$backup/$file is missing; is this a folder made by ops/backup.sh?"
done
# A damaged or altered backup stops here, before anything is touched.
if ! (cd "$backup" && sha256sum --check --quiet --strict SHA256SUMS); then
    die "$backup fails its checksums (SHA256SUMS); not restoring."
fi

tables=$(psql --dbname="$target_url" -X -A -t -q \
    -c "select count(*) from pg_tables where schemaname = 'public'") ||
    die "cannot connect to the target database; create it first (createdb NAME)."
[ "$tables" = 0 ] || die "the target database has $tables tables; restore only into an empty one."
if [ -d "$target_media" ] && [ -n "$(ls -A "$target_media")" ]; then
    die "$target_media is not empty; restore only into an empty media folder."
fi

pg_restore --exit-on-error --single-transaction --no-owner --no-privileges \
    --dbname="$target_url" "$backup/database.dump"
mkdir -p "$target_media"
tar -C "$target_media" --no-same-owner -xzf "$backup/media.tar.gz"

echo "Restored $(grep '^created_utc=' "$backup/MANIFEST" | cut -d= -f2):" \
    "$(find "$target_media" -type f | wc -l) media files," \
    "$(grep '^archived_reports=' "$backup/MANIFEST" | cut -d= -f2) archived reports in the manifest."
