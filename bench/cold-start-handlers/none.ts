// Cold-start baseline, not a contender: a handler that imports nothing and sends nothing, bundled
// and started like the others. Its time is Node's own start plus the ES module loader and the
// invoke script, the floor under every handler; each contender's time above it is its own.
export const handler = async (_order: { id: string }): Promise<{ eventId: string }> => ({ eventId: 'no-event-sent' });
