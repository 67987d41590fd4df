// A preparation worker thread's entry point (`preparation-workers.ts` starts it): prepares the batches
// posted to it, one reply per task.
import { parentPort, workerData } from 'node:worker_threads';
import { pendingEventsOfBody } from './batch-body';
import { textsOf, transportedError, type PreparationReply, type PreparationTask } from './preparation-messages';
import { createRedactor } from './redaction';

const port = parentPort;
if (port === null) throw new Error('preparation-worker.ts runs as a worker thread');
const redactor = createRedactor((workerData as { redactKeys: string[] }).redactKeys);

port.on('message', (task: PreparationTask) => {
  pendingEventsOfBody(task.body, redactor).then(
    (pending) => port.postMessage({ id: task.id, ok: true, texts: textsOf(pending) } satisfies PreparationReply),
    (error: unknown) => port.postMessage({ id: task.id, ok: false, error: transportedError(error) } satisfies PreparationReply),
  );
});
