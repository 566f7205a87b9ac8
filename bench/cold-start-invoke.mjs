// One Lambda-style cold start, in a new process: import the handler bundle named by argv[2] (as
// Lambda's Node runtime imports a handler at INIT), invoke it once, and print one JSON line when
// the EventId is back. performance.now() counts from this process's time origin (its start).
import { pathToFileURL } from 'node:url';

const { handler } = await import(pathToFileURL(process.argv[2]).href);
const { eventId } = await handler({ id: 'order-1' });
const ms = performance.now();
process.stdout.write(`${JSON.stringify({ ms, eventId, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
// Kept-alive sockets would hold the process open; the measure is taken.
process.exit(0);
