import type { Role } from '@plo/platform';

/** Who is signed in, as their token says (for the page; every API checks the token itself). */
export interface Person {
  subject: string;
  name: string;
  councilId: string;
  roles: Role[];
  teamIds: string[];
}

/** An OpenID sign-in under way: what the callback must match. */
export interface PendingSignIn {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
}

export interface Tokens {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken?: string;
  idToken?: string;
}

export interface Session {
  /** The cookie's value; only its hash is stored. */
  id: string;
  csrfToken: string;
  expiresAt: Date;
  lastSeenAt: Date;
  signIn?: PendingSignIn;
  person?: Person;
  tokens?: Tokens;
}

export interface SignedInSession extends Session {
  person: Person;
  tokens: Tokens;
}

export function isSignedIn(session: Session | undefined): session is SignedInSession {
  return !!session?.person && !!session.tokens;
}
