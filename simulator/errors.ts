/** Bad input to a simulated operation: the control API answers it 422 with this message. */
export class SimulatorInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimulatorInputError";
  }
}

/** A shop, customer, order or product the simulator does not hold: the control API answers 404. */
export class SimulatorNotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SimulatorNotFoundError";
  }
}
