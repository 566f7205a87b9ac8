/**
 * Loggers such as pino change level at run time by replacing their level methods on the instance
 * (`logger.level = 'debug'` sets `logger.debug` from a no-op to a writer, and back). The receiver
 * wraps its logger so that a throwing one cannot hurt it, but the wrapper copies the methods once,
 * when the receiver is made: raising the level later never shows the receiver's debug lines, and
 * lowering it never silences its warnings.
 * (Pre-existing since the wrapper came in (d477ada); fails before 61c3ef9 too.)
 */
import { createReceiver } from '../../src/runtime';
import { API_KEY, delivery, post, serve, TestServer } from '../runtime/receiver/support';

/** A logger built the way pino builds one: the level decides which methods are no-ops. */
class LevelledLogger {
  public readonly lines: string[] = [];
  public debug!: (message: string) => void;
  public info!: (message: string) => void;
  public warn!: (message: string) => void;
  public error!: (message: string) => void;
  constructor(level: 'debug' | 'error') {
    this.level = level;
  }
  public set level(level: 'debug' | 'error') {
    const noop = () => undefined;
    const write = (name: string) => (message: string) => void this.lines.push(`${name}: ${message}`);
    this.debug = level === 'debug' ? write('debug') : noop;
    this.info = level === 'debug' ? write('info') : noop;
    this.warn = level === 'debug' ? write('warn') : noop;
    this.error = write('error');
  }
}

let server: TestServer;
const logger = new LevelledLogger('error');
const receiver = createReceiver({ apiKey: API_KEY, logger });

beforeAll(async () => {
  server = await serve(receiver.handle);
});
afterAll(() => server.close());

test('raising the level after the receiver was made shows its debug and warn lines', async () => {
  logger.level = 'debug';
  expect((await post(server.url, delivery('Nobody', {}, { id: 'e-1' }))).status).toBe(202);
  expect((await post(server.url, delivery('Nobody', {}), { 'x-api-key': 'wrong-key-0123456789' })).status).toBe(403);
  expect(logger.lines).toEqual([
    'debug: ignored event e-1: no handler for detail-type \'Nobody\'',
    'warn: refused a delivery: wrong api key in header \'x-api-key\'',
  ]);
});
