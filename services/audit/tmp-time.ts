import { openAuditDatabase } from './store/audit-database';
import { migrateToLatest } from './store/sql-migrations';
(async () => {
  const { PGlite } = require('@electric-sql/pglite');
  let t = Date.now();
  const p = new PGlite(); await p.waitReady; console.log('pglite init', Date.now() - t);
  t = Date.now();
  const p2 = new PGlite(); await p2.waitReady; console.log('pglite init 2', Date.now() - t);
  t = Date.now();
  const d = await openAuditDatabase({}); console.log('open', Date.now() - t); t = Date.now();
  await migrateToLatest(d.db); console.log('migrate', Date.now() - t); t = Date.now();
  const c = await p2.clone(); console.log('clone', Date.now() - t);
  t = Date.now();
  const dump = await p2.dumpDataDir('none'); console.log('dump', Date.now() - t, dump.size); t = Date.now();
  const p3 = new PGlite({ loadDataDir: dump }); await p3.waitReady; console.log('load', Date.now() - t);
})();
