import type { Register } from '../context';

// Commands of the serve area (to be filled by that work).
export const registerServe: Register = () => undefined;
