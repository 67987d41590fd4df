import type { BundleSource } from '../bundles/bundle-source';
import type { Decider } from '../decisions/decider';
import type { SubjectTokenVerifier } from '../principals/subject-token-verifier';

/** What the PDP's routers are built from; assembled by `app.ts`. */
export interface PdpServices {
  decider: Decider;
  bundles: BundleSource;
  tokens: SubjectTokenVerifier;
}
