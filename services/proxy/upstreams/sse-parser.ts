/** One server-sent event: `id` only when the event set one. */
export interface SseEvent {
  event: string | undefined;
  data: string;
  id: string | undefined;
}

/**
 * An incremental parser for `text/event-stream` (the WHATWG rules: lines end in CRLF, LF or CR, `:`
 * starts a comment, one optional space after the field's colon, a blank line dispatches the event).
 * Events without data are dispatched too when they carry an id (MCP's priming events).
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event: string | undefined;
  private id: string | undefined;
  /** The last chunk ended in CR: an LF starting the next one belongs to it. */
  private afterCr = false;

  constructor(private readonly onEvent: (event: SseEvent) => void) {}

  push(chunk: string): void {
    this.buffer += this.afterCr && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
    this.afterCr = false;
    let start = 0;
    for (;;) {
      const lf = this.buffer.indexOf('\n', start);
      const cr = this.buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
        if (cr === this.buffer.length - 1) this.afterCr = true;
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(this.buffer.slice(start, end));
      start = next;
    }
    this.buffer = start === 0 ? this.buffer : this.buffer.slice(start);
  }

  private line(line: string): void {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.id = value;
  }

  private dispatch(): void {
    if (this.data.length > 0 || this.id !== undefined) this.onEvent({ event: this.event, data: this.data.join('\n'), id: this.id });
    this.data = [];
    this.event = undefined;
    this.id = undefined;
  }
}
