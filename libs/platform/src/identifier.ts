/** Council, team and case references: letters and digits, then also `.`, `_` and `-`. */
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
