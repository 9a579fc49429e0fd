/** The UTC day a date falls on, `YYYY-MM-DD`: how metrics and quotas are keyed. */
export const utcDay = (at: Date | number = new Date()) => new Date(at).toISOString().slice(0, 10);
