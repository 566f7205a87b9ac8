// `node build-tools/run-ts.mjs bench/cold-start-main.ts`: the cold-start comparison alone (the
// full bench registers it in main.ts), against the PutEvents endpoint in a process of its own;
// then the same through a TLS front, as a function in AWS Lambda reaches EventBridge.
import { coldStartGoals, describeColdStart, measureColdStart } from './cold-start';
import { startChild, stopChild } from './processes';

void (async () => {
  const { child, info } = await startChild<{ endpoint: string }>('bench/endpoint-process.ts');
  try {
    const result = await measureColdStart(info.endpoint);
    console.log(describeColdStart(result));
    for (const g of coldStartGoals(result)) console.log(`  ${g.name}: ${g.value.toFixed(2)} (goal ${g.goal}) ${g.met ? 'met' : 'NOT met'}`);
    // The same over TLS, as in AWS Lambda: for the record beside the goals, which are over http.
    const overTls = await measureColdStart(info.endpoint, 15, { https: true });
    console.log(describeColdStart(overTls));
    console.log(JSON.stringify({ http: result, https: overTls }));
  } finally {
    await stopChild(child);
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
