import { SseParser, type SseEvent } from '../upstreams/sse-parser';

function parse(chunks: string[]): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = new SseParser((event) => events.push(event));
  for (const chunk of chunks) parser.push(chunk);
  return events;
}

describe('the SSE parser', () => {
  it('reads events split anywhere across chunks, with LF, CRLF or CR line ends', () => {
    const stream = 'event: message\r\ndata: {"a":1}\r\n\r\n: a comment\n\nid: 7\ndata:{"b":\ndata: 2}\n\nevent: other\rdata: x\r\r';
    const expected = [
      { event: 'message', data: '{"a":1}', id: undefined },
      { event: undefined, data: '{"b":\n2}', id: '7' },
      { event: 'other', data: 'x', id: undefined },
    ];
    expect(parse([stream])).toEqual(expected);
    for (let cut = 1; cut < stream.length; cut += 1) expect(parse([stream.slice(0, cut), stream.slice(cut)])).toEqual(expected);
    expect(parse([...stream])).toEqual(expected);
  });

  it('dispatches an event with an id and no data (a priming event), and none for a blank block', () => {
    expect(parse(['id: p-1\ndata: \n\n', '\n\n', 'retry: 100\n\n'])).toEqual([{ event: undefined, data: '', id: 'p-1' }]);
  });
});
