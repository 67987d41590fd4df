import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';

export interface SubjectTokenSettings {
  /** `PDP_JWKS_URL`; when unset, subject tokens are refused. */
  jwksUrl?: string;
  issuer?: string;
  audience?: string;
  clockToleranceSeconds: number;
}

/** `reason` is what a decision says; `problem` is the same without naming the token's use (`expired`). */
export type TokenVerdict = { ok: true; claims: JWTPayload } | { ok: false; reason: string; problem: string };

/** Verifies end-user and agent JWTs; a verdict, never an exception, so callers deny with the reason. */
export interface SubjectTokenVerifier {
  verify(token: string): Promise<TokenVerdict>;
}

export function createSubjectTokenVerifier(settings: SubjectTokenSettings, keys?: JWTVerifyGetKey): SubjectTokenVerifier {
  const jwks = keys ?? (settings.jwksUrl ? createRemoteJWKSet(new URL(settings.jwksUrl)) : undefined);
  return {
    async verify(token) {
      if (!jwks) return { ok: false, reason: 'subject tokens are not accepted: no JWKS is configured', problem: 'no JWKS is configured (PDP_JWKS_URL)' };
      try {
        const { payload } = await jwtVerify(token, jwks, {
          issuer: settings.issuer,
          audience: settings.audience,
          clockTolerance: settings.clockToleranceSeconds,
          requiredClaims: ['sub', 'exp'],
        });
        return { ok: true, claims: payload };
      } catch (error) {
        const problem = rejectionOf(error);
        return { ok: false, reason: `subject token rejected: ${problem}`, problem };
      }
    },
  };
}

function rejectionOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `claim ${error.claim} is not acceptable`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature does not verify';
  if (error instanceof errors.JWKSNoMatchingKey) return 'signed with an unknown key';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWKSTimeout) return 'JWKS could not be fetched in time';
  if (error instanceof errors.JWTInvalid || error instanceof errors.JWSInvalid) return 'malformed token';
  return 'not verifiable';
}
