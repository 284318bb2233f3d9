/** A promise the test resolves when it chooses: `await gate.opened` blocks until `gate.open()`. */
export class Gate {
  readonly opened: Promise<void>;
  private release!: () => void;
  private wasOpened = false;

  constructor() {
    this.opened = new Promise<void>((resolve) => {
      this.release = resolve;
    });
  }

  get isOpen(): boolean {
    return this.wasOpened;
  }

  open(): void {
    this.wasOpened = true;
    this.release();
  }
}
