import { describe, expect, it } from 'vitest';
import { withUsageAsked } from '../../../src/proxy/estimate';
import { carriesUsage, Meter, type CallKind } from '../../../src/proxy/meters';
import { join } from '../../../src/proxy/relay';
import { parseEvent, SseReader, SseScanner } from '../../../src/proxy/sse';

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

/** What a meter says about its answer (its deferred deltas measured by reading outputChars). */
const said = (m: Meter) => ({ id: m.id, model: m.model, usage: m.usage, ended: m.ended, streamError: m.streamError, outputChars: m.outputChars });

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

  it('Anthropic: a null count in message_delta (the API types them number | null) keeps what message_start said', () => {
    const nulls = ANTHROPIC.replace('"usage":{"output_tokens":15}', '"usage":{"input_tokens":null,"cache_read_input_tokens":null,"cache_creation_input_tokens":null,"output_tokens":15}');
    expect(nulls).not.toBe(ANTHROPIC);
    const meter = new Meter('messages');
    for (const e of readInPieces(nulls, 5)) meter.event(e);
    expect(meter.usage).toEqual({ input: 12, output: 15, cached: 5, cacheWrite: 7, cacheWrite1h: 4 });
    // The byte path (events read together from one read) says the same.
    const fast = new Meter('messages');
    const scanner = new SseScanner();
    const events = scanner.push(Buffer.from(nulls));
    fast.eventsIn(scanner.buffer);
    for (const e of events) fast.raw(e);
    expect(fast.usage).toEqual(meter.usage);
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

  it('metering the scanner\'s raw bytes gives what reading whole events gives, whatever the chunking (escapes, accents, emoji, tool calls)', () => {
    const chunk = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const base = { id: 'chatcmpl-9', object: 'chat.completion.chunk', model: 'gpt-4o-mini' };
    const texts = ['Hé "quoted" \\ back\nline\ttab', 'emoji 😀 and ☃ and \u0001', '', 'plain'];
    const streams: [CallKind, string][] = [
      [
        'chat',
        chunk({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' } }], usage: null }) +
          texts.map((t) => chunk({ ...base, choices: [{ index: 0, delta: { content: t } }], usage: null })).join('') +
          chunk({ ...base, choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'f', arguments: '{"a": "ü"}' } }] } }] }) +
          chunk({ ...base, choices: [{ index: 0, delta: { reasoning_content: 'thinking…' } }] }) +
          chunk({ ...base, choices: [], usage: { prompt_tokens: 5, completion_tokens: 40 } }) +
          'data: [DONE]\n\n',
      ],
      [
        'messages',
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_9","model":"claude-haiku-4-5","usage":{"input_tokens":3,"output_tokens":1}}}\n\n' +
          texts.map((t) => `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } })}\n\n`).join('') +
          `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"q": "é' } })}\n\n` +
          'event: message_delta\ndata: {"type":"message_delta","usage":{"output_tokens":30}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n',
      ],
      [
        'responses',
        'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_9","model":"gpt-5"}}\n\n' +
          texts.map((t) => `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', item_id: 'm', delta: t })}\n\n`).join(''),
      ],
    ];
    for (const [kind, text] of streams) {
      const bytes = Buffer.from(text, 'utf8');
      const parsed = new Meter(kind);
      for (const e of readInPieces(text, 1 << 20)) parsed.event(e);
      for (const size of [1, 5, 64, 1 << 20]) {
        const scanner = new SseScanner();
        const fast = new Meter(kind);
        const events: Buffer[] = [];
        for (let i = 0; i < bytes.length; i += size) events.push(...scanner.push(bytes.subarray(i, i + size)));
        events.push(...scanner.end());
        expect(Buffer.concat(events).equals(bytes)).toBe(true); // every byte passed on, once, in order
        for (const e of events) fast.raw(e);
        expect(said(fast)).toEqual(said(parsed));
      }
      expect(parsed.outputChars).toBeGreaterThan(40);
    }
    // Only an event with usage may be the chunk the proxy hides; "usage":null and the word in text are not.
    expect(carriesUsage(Buffer.from(chunk({ ...base, choices: [], usage: { prompt_tokens: 1 } })))).toBe(true);
    expect(carriesUsage(Buffer.from(chunk({ ...base, choices: [{ index: 0, delta: { content: '"usage": {}' } }], usage: null })))).toBe(false);
  });

  it('a text delta waits to be measured, yet what the answer says (usage, end, error, id) is known as each event passes', () => {
    const chat = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini' };
    const delta = (content: string, extra: object = {}) => chat({ ...base, choices: [{ index: 0, delta: { content } }], usage: null, ...extra });
    const streams: [CallKind, string[]][] = [
      [
        'chat',
        [
          delta('first names the answer'),
          delta('text that says "usage": {"prompt_tokens": 1} and "error" and [DONE]'),
          delta('plain'),
          delta('an error rides along', { error: { message: 'overloaded' } }),
          chat({ ...base, choices: [{ index: 0, delta: { content: 'usage beside text' } }], usage: { prompt_tokens: 3, completion_tokens: 2 } }),
          'data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"dup"}}],"usage":{"prompt_tokens":9},"usage":null}\n\n',
          // Keys and values JSON.parse reads through \u escapes, which no search of the bytes sees.
          'data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"}}],"\\u0065rror":{"message":"overloaded"}}\n\n',
          'data: {"id":"chatcmpl-1","choices":[],"\\u0075sage":{"prompt_tokens":6,"completion_tokens":8}}\n\n',
          delta('an escaped quote \u0022 and a non-ASCII \u00e9 \u4e2d stay plain text'),
          chat({ ...base, choices: [], usage: { prompt_tokens: 5, completion_tokens: 7 } }),
          'data: [DONE]\n\n',
        ],
      ],
      [
        'messages',
        [
          'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-haiku-4-5","usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"says \\"message_stop\\" and \\"error\\""}}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"plain"}}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"type":"message_stop"}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"y"},"type":"message_delta","usage":{"output_tokens":8}}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"z"},"type":"error"}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"type":"message\\u005fdelta","usage":{"output_tokens":9}}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"type":"message\\u005fstop"}\n\n',
        ],
      ],
      [
        'responses',
        [
          'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","model":"gpt-5"}}\n\n',
          'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"says response.completed"}\n\n',
          'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"plain"}\n\n',
          'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"a","response":{"id":"resp_2","model":"gpt-5-mini"}}\n\n',
          'event: error\ndata: {"type":"response.output_text.delta","delta":"b","type":7}\n\n',
          'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"c","type":"response.c\\u006fmpleted","\\u0072esponse":{"id":"resp_9","model":"gpt-5","usage":{"input_tokens":3,"output_tokens":5}}}\n\n',
          'event: response.completed\ndata: {"type":"response.output_text.delta","delta":"c","type":null,"response":{"usage":{"input_tokens":4,"output_tokens":6}}}\n\n',
        ],
      ],
    ];
    const state = (m: Meter) => ({ id: m.id, model: m.model, usage: m.usage, ended: m.ended, streamError: m.streamError });
    for (const [kind, events] of streams) {
      for (const strip of [false, true]) {
        const full = new Meter(kind, strip);
        const fast = new Meter(kind, strip);
        for (const e of events) {
          const passed = [full.event(parseEvent(Buffer.from(e))), fast.raw(Buffer.from(e))];
          expect([e, passed[1], state(fast)]).toEqual([e, passed[0], state(full)]);
        }
        expect([kind, fast.outputChars]).toEqual([kind, full.outputChars]);
      }
    }
    // ...and plain deltas do wait (the point: an answer that ends with its usage never measures them).
    const waiting = new Meter('chat');
    for (const e of [delta('a'), delta('bc'), delta('def')]) waiting.raw(Buffer.from(e));
    expect((waiting as unknown as { deferred: Buffer[] }).deferred).toHaveLength(2);
    expect(waiting.outputChars).toBe(6);
    expect((waiting as unknown as { deferred: Buffer[] }).deferred).toHaveLength(0);
  });

  it('the shapes providers stream take the byte path (a fallback would be exact, but slow)', () => {
    type Fast = { deltaTextLength(bytes: Buffer): number; id: string | null; model: string | null };
    const meter = (kind: CallKind) => Object.assign(new Meter(kind) as unknown as Fast, { id: 'x', model: 'y' });
    const chat = meter('chat');
    const base = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":';
    const deltas: [string, number][] = [
      ['{"content":"hello"}', 5],
      ['{"role":"assistant","content":"","refusal":null}', 0],
      ['{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]}', 0],
      ['{"tool_calls":[{"index":0,"function":{"arguments":"{\\"a\\""}}]}', 4],
      ['{"reasoning_content":"think"}', 5],
    ];
    for (const [delta, chars] of deltas) expect([delta, chat.deltaTextLength(Buffer.from(`data: ${base}${delta},"logprobs":null,"finish_reason":null}]}\n\n`))]).toEqual([delta, chars]);
    const messages = meter('messages');
    for (const [delta, chars] of [['{"type":"text_delta","text":"hi"}', 2], ['{"type":"input_json_delta","partial_json":"{}"}', 2], ['{"type":"thinking_delta","thinking":"hmm"}', 3]] as const) {
      expect(messages.deltaTextLength(Buffer.from(`event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":${delta}}\n\n`))).toBe(chars);
    }
    const responses = meter('responses');
    expect(responses.deltaTextLength(Buffer.from('event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"hey"}\n\n'))).toBe(3);
  });

  it('the byte path never counts other text than a full read: it steps aside for a shape or bytes it cannot be sure of', () => {
    const base = '{"id":"chatcmpl-1","object":"chat.completion.chunk","model":"gpt-4o-mini","choices":[{"index":0,"delta":';
    const head = Buffer.from(`data: ${base}{"role":"assistant","content":""}}]}\n\n`);
    const events: Buffer[] = [
      Buffer.from(`data: ${base}{"function_call":{"arguments":"{\\"a\\":1}"}}}]}\n\n`), // the legacy functions API
      Buffer.from(`data: ${base}{"content":"ab"},"logprobs":{"content":"other text"}}]}\n\n`), // the key in another object
      Buffer.from(`data: ${base}{"content":"abcde","content":"x"}}]}\n\n`), // a duplicate key: the last one stands
      Buffer.from(`data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"ab"}},{"index":1,"delta":{"content":"cd"}}]}\n\n`), // several choices
      Buffer.concat([Buffer.from(`data: ${base}{"content":"ab`), Buffer.from([0xe2]), Buffer.from(`"},"x":{"content":"zz"}}]}\n\n`)]), // a lead byte without its continuation
      Buffer.concat([Buffer.from(`data: ${base}{"content":"a`), Buffer.from([0x80]), Buffer.from(`b"}}]}\n\n`)]), // a stray continuation byte
      Buffer.concat([Buffer.from(`data: ${base}{"content":"`), Buffer.from([0xc0, 0xaf]), Buffer.from(`"}}]}\n\n`)]), // an overlong encoding
      // The one "content" of the chunk outside its first choice's delta: a full read counts none of it.
      Buffer.from(`data: ${base}{"role":"assistant"}},"content":"beside the delta"}]}\n\n`),
      Buffer.from(`data: {"id":"chatcmpl-1","content":"before the choices","choices":[{"index":0,"delta":{}}]}\n\n`),
      Buffer.from(`data: {"id":"chatcmpl-1","choices":[{"index":0,"message":{"content":"a message, not a delta"}}]}\n\n`),
      Buffer.from(`data: {"id":"chatcmpl-1","delta":{"content":"a delta outside the choices"},"choices":[]}\n\n`),
      Buffer.from(`data: {"id":"chatcmpl-1","x":{"choices":[{"index":0,"delta":{"content":"choices nested elsewhere"}}]},"choices":[]}\n\n`),
      Buffer.from(`data: ${base}{"role":"assistant","extra":{"content":"nested in the delta"}}}]}\n\n`),
      Buffer.from(`data: ${base}{"reasoning_content":"ab"},"x":{"reasoning_content":"zz","arguments":"q"}}]}\n\n`),
      // "arguments" anywhere but in the delta's first tool call's function (or its legacy function_call).
      Buffer.from(`data: ${base}{"tool_calls":[{"index":0,"arguments":"abc"}]}}]}\n\n`),
      Buffer.from(`data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"ab"}}],"arguments":"zzz"}\n\n`),
      Buffer.from(`data: ${base}{"reasoning_content":"ab"},"x":{"arguments":"q"}}]}\n\n`),
      // A duplicate key the full read takes the last of.
      Buffer.from(`data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"ab"}}],"choices":[]}\n\n`),
      Buffer.from(`data: ${base}{"content":"ab"},"delta":{}}]}\n\n`),
    ];
    for (const e of events) {
      const full = new Meter('chat');
      full.event(parseEvent(head));
      full.event(parseEvent(e));
      const fast = new Meter('chat');
      fast.raw(head);
      fast.raw(e);
      expect(fast.outputChars).toBe(full.outputChars);
    }
    // The same for Anthropic's block deltas and the Responses API's text deltas.
    const others: [CallKind, string, string][] = [
      ['messages', 'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-haiku-4-5","usage":{"input_tokens":3,"output_tokens":1}}}\n\n', 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta"},"text":"beside the delta"}\n\n'],
      ['messages', '', 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"x":{"delta":{"type":"text_delta","text":"a delta nested elsewhere"}}}\n\n'],
      ['messages', '', 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","meta":{"thinking":"nested in the delta"}}}\n\n'],
      ['responses', '', 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","item":{"delta":"nested, not the event\'s own"}}\n\n'],
      ['messages', '', 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abc"},"delta":{"type":"text_delta","text":""}}\n\n'],
      ['messages', '', 'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"abc"},"type":"ping"}\n\n'],
      ['responses', '', 'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"abc","type":"response.other"}\n\n'],
    ];
    for (const [kind, first, e] of others) {
      const full = new Meter(kind);
      const fast = new Meter(kind);
      if (first) {
        full.event(parseEvent(Buffer.from(first)));
        fast.raw(Buffer.from(first));
      }
      full.event(parseEvent(Buffer.from(e)));
      fast.raw(Buffer.from(e));
      expect([e, fast.outputChars]).toEqual([e, full.outputChars]);
    }
    const legacy = new Meter('chat');
    legacy.raw(head);
    legacy.raw(events[0]!);
    expect(legacy.outputChars).toBe(7); // {"a":1}: generated output, counted by both paths
  });

  it('events read together from one read of the socket (eventsIn) give what reading each alone gives, after every event', () => {
    const chat = (o: object) => `data: ${JSON.stringify(o)}\n\n`;
    const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', model: 'gpt-4o-mini' };
    const delta = (content: string, extra: object = {}) => chat({ ...base, choices: [{ index: 0, delta: { content } }], usage: null, ...extra });
    // Text that spells what the searches look for, and the shapes the searches must step aside for.
    const tricky = ['"usage": {"prompt_tokens": 1}', '"error"', '[DONE]', '"message_stop"', 'response.completed', '\\u0075sage', 'é ☃ 😀', 'line\nbreak', ''];
    const streams: Record<'chat' | 'messages' | 'responses', string[]> = {
      chat: [
        delta(''),
        ...tricky.map((t) => delta(t)),
        delta('x', { error: { message: 'overloaded' } }),
        'data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"}}],"\\u0065rror":{"message":"overloaded"}}\n\n',
        // A "usage" that is no key, sharing its closing quote with an "error" that is one (searches must overlap).
        'data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"x"}}],"usage"error":1}\n\n',
        // A usage key whose value the event does not hold, then a line that says null: the next event's, not its value.
        'data: {"id":"chatcmpl-1","choices":[],"usage":\n\n',
        'null\n\n',
        ': a comment\n\n',
        'data: {"id":"chatcmpl-1",\ndata: "choices":[{"index":0,"delta":{"content":"two data lines"}}]}\n\n',
        'data: {"id":"chatcmpl-1","choices":[{"index":0,"delta":{"content":"crlf"}}]}\r\n\r\n',
        delta('usage beside text', { usage: { prompt_tokens: 3, completion_tokens: 2 } }),
        delta('null usage', { usage: null }),
        chat({ ...base, choices: [], usage: { prompt_tokens: 5, completion_tokens: 7 } }),
        'data: [DONE]\n\n',
        delta('after the end'),
      ],
      messages: [
        'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","model":"claude-haiku-4-5","usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
        ...tricky.map((t) => `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } })}\n\n`),
        'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"type":"message\\u005fstop"}\n\n',
        'event: content_block_delta\ndata: {"type":"content_block_delta","delta":{"type":"text_delta","text":"y"},"type":"message_delta","usage":{"output_tokens":8}}\n\n',
        'event: ping\ndata: {"type": "ping"}\n\n',
        'event: message_delta\ndata: {"type":"message_delta","delta":{},"usage":{"output_tokens":15}}\n\n',
        'event: message_stop\ndata: {"type":"message_stop"}\n\n',
      ],
      responses: [
        'event: response.created\ndata: {"type":"response.created","response":{"id":"resp_1","model":"gpt-5"}}\n\n',
        ...tricky.map((t) => `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', item_id: 'm', delta: t })}\n\n`),
        'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"a","response":{"id":"resp_2","model":"gpt-5-mini"}}\n\n',
        'event: error\ndata: {"type":"response.output_text.delta","delta":"b"}\n\n',
        'event: response.completed\ndata: {"type":"response.completed","response":{"id":"resp_2","usage":{"input_tokens":4,"output_tokens":6}}}\n\n',
      ],
    };
    const state = (m: Meter) => ({ id: m.id, model: m.model, usage: m.usage, ended: m.ended, streamError: m.streamError });
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const [kind, events] of Object.entries(streams) as [CallKind, string[]][]) {
      const bytes = Buffer.from(events.join(''), 'utf8');
      for (let round = 0; round < 60; round++) {
        for (const strip of [false, true]) {
          const together = new Meter(kind, strip);
          const alone = new Meter(kind, strip);
          const scanner = new SseScanner();
          // Round 0 reads the stream in one piece; the others cut it in random places.
          const cuts = round === 0 ? [bytes.length] : Array.from({ length: 1 + Math.floor(random() * 6) }, () => Math.floor(random() * bytes.length)).sort((a, b) => a - b).concat(bytes.length);
          let from = 0;
          for (const to of cuts) {
            const read = scanner.push(bytes.subarray(from, to));
            from = to;
            together.eventsIn(read.length > 1 ? scanner.buffer : null);
            for (const e of read) {
              const said = [together.raw(e), state(together)];
              expect([e.toString(), ...said]).toEqual([e.toString(), alone.raw(e), state(alone)]);
            }
          }
          expect([kind, together.outputChars]).toEqual([kind, alone.outputChars]);
        }
      }
    }
    // Plain deltas read together are not each converted and searched again (the point of it):
    // only the events that say more than text are read alone.
    const words = Array.from({ length: 20 }, (_, i) => `word ${i} `);
    const usual: [CallKind, string[], number][] = [
      ['chat', [delta('names the answer'), ...words.map((w) => delta(w)), chat({ ...base, choices: [], usage: { prompt_tokens: 5, completion_tokens: 20 } }), 'data: [DONE]\n\n'], 2],
      ['messages', [streams.messages[0]!, ...words.map((w) => `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: w } })}\n\n`), ...streams.messages.slice(-2)], 3],
      ['responses', [streams.responses[0]!, ...words.map((w) => `event: response.output_text.delta\ndata: ${JSON.stringify({ type: 'response.output_text.delta', item_id: 'm', delta: w })}\n\n`), streams.responses.at(-1)!], 2],
    ];
    for (const [kind, events, readAlone] of usual) {
      const meter = new Meter(kind, true);
      let alone = 0;
      const byteView = (meter as unknown as { byteView: (b: Buffer) => unknown }).byteView.bind(meter);
      (meter as unknown as { byteView: (b: Buffer) => unknown }).byteView = (b) => (alone++, byteView(b));
      const scanner = new SseScanner();
      const read = scanner.push(Buffer.from(events.join('')));
      meter.eventsIn(scanner.buffer);
      const hidden = read.map((e) => meter.raw(e)).filter((shown) => !shown).length; // the usage chunk the client did not ask for
      expect([kind, alone, hidden, meter.ended, meter.outputChars]).toEqual([kind, readAlone, kind === 'chat' ? 1 : 0, true, (kind === 'chat' ? 16 : 0) + 10 * 7 + 10 * 8]);
    }
  });

  it('events that lie one after the other in a read are passed on as a view of it, others as a copy: the same bytes either way', () => {
    const scanner = new SseScanner();
    const text = 'data: a\n\ndata: b\n\ndata: usage\n\ndata: [DONE]\n\n';
    const read = Buffer.alloc(text.length); // a buffer of its own (small ones from Buffer.from share a pool)
    read.write(text);
    const [a, b, usage, done] = scanner.push(read);
    const adjacent = join([a!, b!])!;
    expect([adjacent.toString(), adjacent.buffer === read.buffer, adjacent.byteOffset]).toEqual(['data: a\n\ndata: b\n\n', true, read.byteOffset]);
    const apart = join([a!, b!, done!])!; // the usage chunk left out between them
    expect([apart.toString(), apart.buffer === read.buffer]).toEqual(['data: a\n\ndata: b\n\ndata: [DONE]\n\n', false]);
    expect(join([b!, a!])!.toString()).toBe('data: b\n\ndata: a\n\n'); // out of order: a copy, in the order given
    expect(join([usage!, Buffer.from('data: x\n\n')])!.toString()).toBe('data: usage\n\ndata: x\n\n'); // another buffer
    expect([join([]), join([a!])]).toEqual([null, a]);
  });

  it('the usage option is added to a streamed request without re-serialising it, and merged into one that has options', () => {
    const plain = Buffer.from(' {"model":"m","stream":true,"messages":[{"role":"user","content":"x"}]}');
    const asked = withUsageAsked(plain, JSON.parse(plain.toString()) as Record<string, unknown>);
    expect(JSON.parse(asked.toString())).toEqual({ model: 'm', stream: true, messages: [{ role: 'user', content: 'x' }], stream_options: { include_usage: true } });
    const tight = Buffer.from('{"model":"m","stream":true}'); // the usual body: its brace first
    expect(withUsageAsked(tight, JSON.parse(tight.toString()) as Record<string, unknown>).toString()).toBe('{"stream_options":{"include_usage":true},"model":"m","stream":true}');
    const withOptions = Buffer.from('{"model":"m","stream":true,"stream_options":{"foo":1}}');
    expect(JSON.parse(withUsageAsked(withOptions, JSON.parse(withOptions.toString()) as Record<string, unknown>).toString()).stream_options).toEqual({ foo: 1, include_usage: true });
  });

  it('a request that has stream_options keeps every other byte: numbers JavaScript cannot hold, spacing, accents', () => {
    const ask = (text: string) => {
      const body = Buffer.from(text);
      return withUsageAsked(body, JSON.parse(text) as Record<string, unknown>).toString();
    };
    expect(ask('{"model":"m","seed":12345678901234567890,"t":1.0,"x":1e400,"stream":true,"stream_options":{"include_obfuscation":false},"messages":[{"content":"héllo \\"}"}]}')).toBe(
      '{"model":"m","seed":12345678901234567890,"t":1.0,"x":1e400,"stream":true,"stream_options":{"include_usage":true,"include_obfuscation":false},"messages":[{"content":"héllo \\"}"}]}',
    );
    expect(ask('{ "stream" : true , "stream_options" : { } , "n" : 1.50 }')).toBe('{ "stream" : true , "stream_options" : {"include_usage":true } , "n" : 1.50 }');
    // An include_usage the client set to false is turned on where it stands; a repeated stream_options: the last counts, as JSON.parse reads it.
    expect(ask('{"stream_options":{"include_usage":false},"seed":12345678901234567890}')).toBe('{"stream_options":{"include_usage":true},"seed":12345678901234567890}');
    expect(ask('{"stream_options":{"a":1},"stream_options":{"b":2}}')).toBe('{"stream_options":{"a":1},"stream_options":{"include_usage":true,"b":2}}');
    // stream_options that is not an object is set whole; one written only inside another value is not the request's.
    expect(ask('{"stream_options":null,"stream":true,"seed":12345678901234567890}')).toBe('{"stream_options":{"include_usage":true},"stream":true,"seed":12345678901234567890}');
    expect(ask('{"seed":12345678901234567890,"metadata":{"stream_options":1},"stream":true}')).toBe(
      '{"stream_options":{"include_usage":true},"seed":12345678901234567890,"metadata":{"stream_options":1},"stream":true}',
    );
  });

  it('an event longer than many reads comes out whole, and the events handed out before are never overwritten', () => {
    const big = `data: ${'x'.repeat(300_000)}\n\n`;
    const stream = Buffer.from(`data: a\n\n${big}data: b\n\ndata: ${'y'.repeat(100_000)}\n\ndata: c\n\n`);
    const scanner = new SseScanner();
    const got: Buffer[] = [];
    const copies: string[] = [];
    for (let i = 0; i < stream.length; i += 1000) {
      for (const e of scanner.push(stream.subarray(i, i + 1000))) {
        got.push(e);
        copies.push(e.toString('latin1')); // what the event held when it was handed out
      }
    }
    expect(got.map((e) => e.toString('latin1'))).toEqual(copies); // no later read changed one
    expect(copies).toEqual(['data: a\n\n', big, 'data: b\n\n', `data: ${'y'.repeat(100_000)}\n\n`, 'data: c\n\n']);
  });

  it('an event split anywhere, a CR at the end of a chunk, and a last event without its blank line', () => {
    const text = 'data: a\r\r\ndata: b\r\n\r\ndata: tail';
    for (let cut = 1; cut < text.length; cut++) {
      const s = new SseScanner();
      const got = [...s.push(Buffer.from(text.slice(0, cut))), ...s.push(Buffer.from(text.slice(cut))), ...s.end()].map((b) => parseEvent(b).data);
      expect(got).toEqual(['a', 'b', 'tail']); // \r then \r\n: a line, then the blank line
    }
  });
});
