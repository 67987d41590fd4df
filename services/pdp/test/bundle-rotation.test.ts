import path from 'node:path';
import request from 'supertest';
import { directoryBundleSource } from '../bundles/directory-bundle-source';
import { createNativeEngine } from '../engines/native-engine';
import { activeBundle, fakeEngine } from './support/fake-engine';
import { ALICE, testPdp } from './support/test-app';

const echo = { server_name: 'everything', tool_name: 'echo', principal: ALICE };

describe('bundle activation while deciding', () => {
  it('answers each decision entirely on the revision it started on', async () => {
    const { app, bundles } = testPdp({ bundle: null });
    let next = 0;
    // Each engine activates its successor in the middle of its own evaluation.
    const activateNext = () => {
      const revision = `r${next++}`;
      const engine = fakeEngine({
        evaluate: () => {
          activateNext();
          return { allow: true, reasons: [`decided by ${revision}`], cache_ttl: 60 };
        },
      });
      bundles.activate(activeBundle(engine, revision));
    };
    activateNext();
    const answers = await Promise.all(Array.from({ length: 50 }, () => request(app).post('/v1/authorize').send(echo)));
    for (const answer of answers) {
      expect(answer.status).toBe(200);
      expect(answer.body.allow).toBe(true);
      expect(answer.body.reason).toBe(`decided by ${answer.body.revision}`);
    }
    expect(new Set(answers.map((answer) => answer.body.revision)).size).toBe(50);
  });
});

describe('evaluation deadline', () => {
  it('denies when the native engine passes PDP_DECISION_TIMEOUT_MS', async () => {
    const source = directoryBundleSource(path.join(__dirname, 'fixtures/slow-bundle'), createNativeEngine);
    expect(source.status().lastError).toBeNull();
    const { app } = testPdp({ bundle: source.current(), settings: { decisionTimeoutMs: 5 } });
    const res = await request(app).post('/v1/authorize').send(echo);
    expect(res.body).toMatchObject({ allow: false, reason: 'policy evaluation timed out' });
  });

  it('denies an answer that arrives after the deadline even when the engine did not abort', async () => {
    const lateEngine = fakeEngine({
      evaluate: () => {
        const until = performance.now() + 20;
        while (performance.now() < until);
        return { allow: true, reasons: ['late'], cache_ttl: 60 };
      },
    });
    const { app } = testPdp({ bundle: activeBundle(lateEngine), settings: { decisionTimeoutMs: 5 } });
    const res = await request(app).post('/v1/authorize').send(echo);
    expect(res.body).toMatchObject({ allow: false, reason: 'policy evaluation timed out', cache_ttl: 0 });
  });
});
