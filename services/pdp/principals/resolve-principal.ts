import type { Principal } from '../contracts/principal';
import { principalFromClaims } from './claims-principal';
import type { SubjectTokenVerifier } from './subject-token-verifier';

export type PrincipalResolution = { ok: true; principal: Principal } | { ok: false; reason: string };

/**
 * The principal of a question: asserted by the (authenticated) caller, or taken from a subject token
 * that verifies. Tokens seen earlier in the same call are verified once (batch questions share one).
 */
export function principalResolver(tokens: SubjectTokenVerifier) {
  const verified = new Map<string, Promise<PrincipalResolution>>();
  return function resolve(principal: Principal | undefined, subjectToken: string | undefined): PrincipalResolution | Promise<PrincipalResolution> {
    if (subjectToken === undefined) {
      return principal ? { ok: true, principal } : { ok: false, reason: 'no principal given' };
    }
    let resolution = verified.get(subjectToken);
    if (resolution === undefined) {
      resolution = tokens.verify(subjectToken).then((verdict) =>
        verdict.ok ? { ok: true, principal: principalFromClaims(verdict.claims) } : { ok: false, reason: verdict.reason },
      );
      verified.set(subjectToken, resolution);
    }
    return resolution;
  };
}
