import { HttpException, HttpStatus, PreconditionFailedException } from '@nestjs/common';

/** Strong ETags are the record's version in quotes: `"7"`. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The versions an If-Match header names (RFC 9110: a list; `*` matches any current version). */
export function versionsIn(ifMatch: string): number[] | '*' {
  if (ifMatch.trim() === '*') return '*';
  return ifMatch
    .split(',')
    .map((tag) =>
      tag
        .trim()
        .replace(/^W\//, '')
        .replace(/^"(.*)"$/, '$1'),
    )
    .filter((tag) => /^[1-9][0-9]{0,9}$/.test(tag))
    .map(Number);
}

export interface VersionCheck {
  /** e.g. `case 1b2c…`, used in the error messages. */
  what: string;
  currentVersion: number;
  ifMatch: string | undefined;
  /** Edits of a record must name the version they were made against; appends may omit it. */
  required: boolean;
}

/**
 * Refuses a write made against a version other than the current one, so two people editing the
 * same record never silently overwrite each other: 428 when the version is required but missing,
 * 412 (with the current version, to reload) when it is stale.
 */
export function assertVersion({ what, currentVersion, ifMatch, required }: VersionCheck): void {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    if (!required) return;
    throw new HttpException(
      {
        statusCode: HttpStatus.PRECONDITION_REQUIRED,
        error: 'Precondition Required',
        message: `send If-Match with the ETag of ${what} (currently ${etagOf(currentVersion)}) so a concurrent change cannot be overwritten`,
        currentVersion,
      },
      HttpStatus.PRECONDITION_REQUIRED,
    );
  }
  const versions = versionsIn(ifMatch);
  if (versions === '*' || versions.includes(currentVersion)) return;
  throw new PreconditionFailedException({
    statusCode: HttpStatus.PRECONDITION_FAILED,
    error: 'Precondition Failed',
    message: `${what} has changed since you read it: it is at version ${currentVersion}, you sent If-Match ${ifMatch}; reload and apply your change again`,
    currentVersion,
  });
}
