import fs from 'node:fs';
import type { BundleBuildArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import { buildBundle } from '../../rego/bundle';
import { signBundleArchive } from '../../pdp/bundles/bundle-archive-signing';
import { SIGNATURE_ALGORITHMS, type SignatureAlgorithm } from '../../pdp/bundles/bundle-settings';
import { UsageError } from '../usage-error';

/** `mcp-authz bundle build DIR -o FILE.tar.gz [--revision R] [--signing-key KEY [--signing-alg ALG] [--signing-key-id ID]]`. */
export async function run(args: BundleBuildArgs, io: CommandIO = processIO): Promise<number> {
  const algorithm = signingAlgorithm(args.signingAlg);
  try {
    const built = await buildBundle(args.dir, args.output, { revision: args.revision });
    let signed = '';
    if (args.signingKey !== undefined) {
      await signBundleArchive(args.output, { key: signingKeyOf(args.signingKey, algorithm), algorithm, keyId: args.signingKeyId });
      signed = `, signed with ${algorithm}`;
    }
    io.stdout(`wrote ${args.output} (${built.entries.length} files, revision ${JSON.stringify(built.manifest.revision)}${signed})\n`);
    return 0;
  } catch (e) {
    io.stderr(`mcp-authz bundle build: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

function signingAlgorithm(name: string | undefined): SignatureAlgorithm {
  const algorithm = name ?? 'RS256';
  if (!(SIGNATURE_ALGORITHMS as readonly string[]).includes(algorithm)) throw new UsageError(`--signing-alg: expected one of ${SIGNATURE_ALGORITHMS.join(', ')}`);
  return algorithm as SignatureAlgorithm;
}

/** As `opa build`: HMAC algorithms take the secret itself, the others a PEM file. */
function signingKeyOf(value: string, algorithm: SignatureAlgorithm): string {
  return algorithm.startsWith('HS') ? value : fs.readFileSync(value, 'utf8');
}
