import { putEventsEntrySize } from '../../../src/runtime/put-events';

// The entry from the EventBridge user guide's "Sending events with PutEvents" example, sized by
// the rules of its "Calculating PutEvents event entry size" page.
const guideExample = {
  Resources: ['resource1', 'resource2'],
  Source: 'com.mycompany.myapp',
  DetailType: 'myDetailType',
  Detail: '{ "key1": "value1", "key2": "value2" }',
};

describe('entry size as EventBridge counts it', () => {
  test('the user guide example is Source + DetailType + Detail + each Resources item, in UTF-8 bytes', () => {
    const source = 19; // com.mycompany.myapp
    const detailType = 12; // myDetailType
    const detail = 38; // { "key1": "value1", "key2": "value2" }
    const resources = 9 + 9; // resource1, resource2
    expect(putEventsEntrySize(guideExample)).toBe(source + detailType + detail + resources);
  });

  test('Time counts 14 bytes whatever the date', () => {
    const withTime = putEventsEntrySize({ ...guideExample, Time: new Date('2024-05-01T12:00:00Z') });
    expect(withTime - putEventsEntrySize(guideExample)).toBe(14);
  });

  test('characters outside ASCII count their UTF-8 bytes, not their length', () => {
    // é is 2 bytes, € is 3, 🚀 is 4 (and 2 UTF-16 code units)
    const entry = { Source: 'é', DetailType: '€', Detail: '{"r":"🚀"}' };
    expect(putEventsEntrySize(entry)).toBe(2 + 3 + (8 + 4));
  });

  test('EventBusName and TraceHeader do not count', () => {
    const routed = { ...guideExample, EventBusName: 'arn:aws:events:us-east-1:123456789012:event-bus/orders', TraceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793' };
    expect(putEventsEntrySize(routed)).toBe(putEventsEntrySize(guideExample));
  });
});
