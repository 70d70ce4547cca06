export * from './expectations';
export * from './routeInventory';
export * from './world';
export * from './runCell';
export * from './table';
