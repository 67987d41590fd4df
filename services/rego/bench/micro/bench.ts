/**
 * Micro-benchmark of the evaluator: the RBAC+ABAC policy next to this file over generated data
 * (20 servers x 25 tools, 10 roles), evaluated for a rotating set of inputs. Prints the median
 * time per decision over batches. Run: `npx tsc -p tsconfig.build.json && node
 * dist/services/rego/bench/micro/bench.js` (add `--cpu-prof` to node to profile).
 */
import * as fs from 'fs';
import * as path from 'path';
import { compilePolicy, fromJSON, parseModule, toJSON, type Value } from '../../index';

const LEVELS = ['public', 'internal', 'confidential', 'secret'];

function benchData(): unknown {
  const servers: Record<string, unknown> = {};
  for (let s = 0; s < 20; s++) {
    const tools: Record<string, unknown> = {};
    for (let t = 0; t < 25; t++) tools[`tool-${t}`] = { sensitivity: LEVELS[(s + t) % 4], description: `tool ${t} of server ${s}` };
    servers[`server-${s}`] = { owner_team: `team-${s % 5}`, tools, allowed_cidrs: ['10.0.0.0/8', `192.168.${s}.0/24`] };
  }
  const roles: Record<string, unknown> = {};
  for (let r = 0; r < 10; r++) {
    roles[`role-${r}`] = {
      grants: [
        { server: `server-${r}*`, tool: 'tool-1*' },
        { server: `server-${r + 10}`, tool: '*' },
      ],
    };
  }
  return { servers, roles };
}

function benchInputs(): Value[] {
  const out: Value[] = [];
  for (let i = 0; i < 64; i++) {
    out.push(
      fromJSON({
        action: 'tools/call',
        principal: {
          id: `user-${i}`,
          roles: [`role-${i % 10}`, `role-${(i * 3) % 10}`],
          teams: [`team-${i % 7}`],
          clearance: LEVELS[i % 4],
        },
        resource: { server: `server-${i % 20}`, tool: `tool-${(i * 7) % 25}` },
        context: { ip: i % 3 === 0 ? `192.168.${i % 20}.7` : '10.1.2.3' },
      }),
    );
  }
  return out;
}

function main(): void {
  const source = fs.readFileSync(path.join(__dirname, '../../../../../services/rego/bench/micro/policy.rego'), 'utf8');
  const policy = compilePolicy([parseModule(source, 'policy.rego')], fromJSON(benchData()));
  const inputs = benchInputs();
  const entry = ['bench', 'authz', 'decision'];
  let allowed = 0;
  for (const input of inputs) if ((toJSON(policy.evaluate(entry, { input })!) as { allow: boolean }).allow) allowed++;
  const batch = 2000;
  const samples: number[] = [];
  const deadline = Date.now() + Number(process.env.BENCH_MS ?? 5000);
  let n = 0;
  while (Date.now() < deadline) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < batch; i++) policy.evaluate(entry, { input: inputs[n++ & 63] });
    samples.push(Number(process.hrtime.bigint() - t0) / batch / 1000);
  }
  samples.sort((a, b) => a - b);
  const median = samples[samples.length >> 1];
  console.log(JSON.stringify({ us_per_decision_median: Number(median.toFixed(2)), p10: Number(samples[samples.length / 10 | 0].toFixed(2)), batches: samples.length, batch, allowed_of_64: allowed }));
}

main();
