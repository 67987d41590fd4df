import type { BundleBuildArgs } from '../command-args';
import { processIO, type CommandIO } from '../command-io';
import { buildBundle } from '../../rego/bundle';

/** `mcp-authz bundle build DIR -o FILE.tar.gz [--revision R]`. */
export async function run(args: BundleBuildArgs, io: CommandIO = processIO): Promise<number> {
  try {
    const built = await buildBundle(args.dir, args.output, { revision: args.revision });
    io.stdout(`wrote ${args.output} (${built.entries.length} files, revision ${JSON.stringify(built.manifest.revision)})\n`);
    return 0;
  } catch (e) {
    io.stderr(`mcp-authz bundle build: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
