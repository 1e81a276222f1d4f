/** The one log type of the product: plain lines at three levels (the round's log, the sinks', the alert store's). */
export interface LineLog {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}
