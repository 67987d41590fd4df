/**
 * `Buffer.from(prefix + parts.join(separator) + suffix)` without the joined string: each part is encoded
 * straight into one buffer of the exact size. For the megabyte bodies of SIEM batches and COPY data this
 * is about a quarter of the work: joining builds a long string that encoding then walks a second time.
 */
export function utf8Joined(parts: readonly string[], separator = '', prefix = '', suffix = ''): Buffer {
  const separatorBytes = Buffer.byteLength(separator);
  let size = Buffer.byteLength(prefix) + Buffer.byteLength(suffix) + separatorBytes * Math.max(parts.length - 1, 0);
  for (const part of parts) size += Buffer.byteLength(part);
  const joined = Buffer.allocUnsafe(size);
  let offset = joined.write(prefix, 0);
  for (let index = 0; index < parts.length; index++) {
    if (index > 0 && separatorBytes > 0) offset += joined.write(separator, offset);
    offset += joined.write(parts[index] as string, offset);
  }
  joined.write(suffix, offset);
  return joined;
}
