import { describe, expect, it } from 'vitest';
import { Meter } from '../../../src/proxy/meters';
import { SseReader } from '../../../src/proxy/sse';

/** Feed a stream to a reader in pieces of `size` bytes; the events must not depend on where it was cut. */
function readInPieces(text: string, size: number) {
  const bytes = Buffer.from(text, 'utf8');
  const reader = new SseReader();
  const events = [];
  for (let i = 0; i < bytes.length; i += size) events.push(...reader.push(bytes.subarray(i, i + size)));
  events.push(...reader.end());
  return events;
}

const ANTHROPIC = [
  'event: message_start\r\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-haiku-4-5","usage":{"input_tokens":12,"cache_read_input_tokens":5,"cache_creation_input_tokens":7,"cache_creation":{"ephemeral_5m_input_tokens":3,"ephemeral_1h_input_tokens":4},"output_tokens":1}}}\r\n\r\n',
  ': a comment line\n\n',
  'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"héllo ☃"}}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":9}}\n\n',
  'event: message_delta\ndata: {"type":"message_delta","delta":{},"usage":{"output_tokens":15}}\n\n',
  'event: message_stop\ndata: {"type":"message_stop"}\n\n',
].join('');

describe('SSE reading and metering', () => {
  it('reads the same events whatever the chunking, multi-byte characters and CRLF included', () => {
    const whole = readInPieces(ANTHROPIC, 1 << 20);
    for (const size of [1, 2, 3, 7, 64]) expect(readInPieces(ANTHROPIC, size)).toEqual(whole);
    expect(whole.map((e) => e.event)).toEqual(['message_start', '', 'content_block_delta', 'message_delta', 'message_delta', 'message_stop']);
    expect(whole.map((e) => e.raw).join('')).toBe(ANTHROPIC); // raw text is passed on exactly
  });

  it('Anthropic: message_delta usage is cumulative, so the last one stands; cache writes keep the 1-hour split', () => {
    const meter = new Meter('messages');
    for (const e of readInPieces(ANTHROPIC, 5)) meter.event(e);
    expect(meter).toMatchObject({ id: 'msg_1', model: 'claude-haiku-4-5', ended: true });
    expect(meter.usage).toEqual({ input: 12, output: 15, cached: 5, cacheWrite: 7, cacheWrite1h: 4 });
  });

  it('OpenAI chat: the usage chunk counts, and is dropped only when the proxy asked for it', () => {
    const chunk = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const stream =
      chunk({ id: 'chatcmpl-1', model: 'gpt-4o-mini', choices: [{ index: 0, delta: { content: 'hi' } }], usage: null }) +
      chunk({ id: 'chatcmpl-1', model: 'gpt-4o-mini', choices: [], usage: { prompt_tokens: 30, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 10 } } }) +
      'data: [DONE]\n\n';
    for (const strip of [false, true]) {
      const meter = new Meter('chat', strip);
      const passed = readInPieces(stream, 4).filter((e) => meter.event(e));
      expect(passed).toHaveLength(strip ? 2 : 3);
      expect(meter.usage).toEqual({ input: 20, output: 4, cached: 10, cacheWrite: 0, cacheWrite1h: 0 });
      expect(meter.ended).toBe(true);
    }
  });

  it('a malformed stream is read as far as it goes and never throws', () => {
    const meter = new Meter('responses');
    const events = readInPieces('data: {not json\n\nevent: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_1","usage":{"input_tokens":8,"output_tokens":2}}}\n\ndata: trailing without end', 3);
    for (const e of events) meter.event(e);
    expect(meter.usage).toMatchObject({ input: 8, output: 2 });
    expect(events.at(-1)!.data).toBe('trailing without end');
  });
});
