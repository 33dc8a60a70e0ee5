import type { Register } from '../context';

// Commands of the odometer area (to be filled by that work).
export const registerOdometer: Register = () => undefined;
