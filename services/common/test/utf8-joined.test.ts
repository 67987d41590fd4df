import { utf8Joined } from '../text/utf8-joined';

describe('utf8Joined', () => {
  it.each([
    [['a', 'bc', ''], '', '', ''],
    [['{"x":"é"}', '{"y":"😀"}', '{}'], ',', '[', ']'],
    [['one', 'two'], '\n', '', ''],
    [['ü'], '→', '«', '»'],
    [[], ',', '[', ']'],
    [[], '', '', ''],
  ])('encodes %j joined by %j within %j %j exactly as the joined string would be', (parts, separator, prefix, suffix) => {
    const joined = utf8Joined(parts, separator, prefix, suffix);
    expect(joined.equals(Buffer.from(`${prefix}${parts.join(separator)}${suffix}`))).toBe(true);
  });
});
