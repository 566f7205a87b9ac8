import { ConnectorError } from '../errors';

/**
 * The outbox refused an entry or could not open: `OutboxFull` (disk use would pass `maxBytes`),
 * `OutboxClosed` (`add` after `close`), `OutboxLocked` (another outbox, in this process or another
 * live one, has the directory), `OutboxIoError` (the disk refused a write),
 * `InvalidOutboxDirectory` (the directory cannot be made, read or written when the outbox opens:
 * the message names the path and the reason).
 */
export class OutboxError extends ConnectorError {}
