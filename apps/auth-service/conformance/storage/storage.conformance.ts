import { describe } from 'vitest';
import { describeBetterAuthFlows } from './betterAuthFlows';
import { describeStorageContract } from './storageKit';
import { STORAGE_TARGETS } from './storageTargets';

// One kit, every storage target: the library's storage in its three cache modes and the reference (storageTargets.ts).
for (const target of STORAGE_TARGETS) {
  describe(target.name, () => {
    describeStorageContract(target);
    describeBetterAuthFlows(target);
  });
}
