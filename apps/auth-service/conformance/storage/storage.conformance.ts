import { describe } from 'vitest';
import { describeBetterAuthFlows } from './betterAuthFlows';
import { describeStorageContract } from './storageKit';
import { STORAGE_TARGETS } from './storageTargets';

// One kit, every storage: ours in its three cache modes and the reference.
for (const target of STORAGE_TARGETS) {
  describe(target.name, () => {
    describeStorageContract(target);
    describeBetterAuthFlows(target);
  });
}
