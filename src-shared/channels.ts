// IPC channel names, kept apart from the contract so the sandboxed preload bundles nothing else.
export const IPC_CALL = 'ecgatk:call';
export const IPC_EVENT = 'ecgatk:event';
