// @skiff/runtime/bpf: loading BPF programs and putting them on links, without clang or libbpf —
// a small assembler, bpf(2) and rtnetlink's traffic-control messages through koffi, and the
// kernel's BTF for kfunc ids. The pod network's fast path (@skiff/podnet) is built on it, and the
// runtime uses it to put that path on each pod's veth.
export {
  Assembler,
  FP,
  type Register,
  type Size,
  type Condition,
  type AluOp,
} from './assembler.js';
export {
  bpfAvailable,
  loadProgram,
  createCounterMap,
  readCounter,
  pinObject,
  openPinned,
  closeFd,
  testRunProgram,
  BPF_PROG_TYPE_SCHED_CLS,
  type ProgramSpec,
  type TestRun,
} from './bpf-syscall.js';
export { kernelFunctionId, btfFunctionIds, VMLINUX_BTF } from './btf.js';
export {
  attachIngressProgram,
  detachIngressProgram,
  listIngressPrograms,
  TC_ACT_UNSPEC,
  TC_ACT_OK,
  TC_ACT_SHOT,
  TC_ACT_REDIRECT,
  type IngressFilter,
  type AttachedProgram,
} from './tc-filter.js';
export {
  attachFastPathToPod,
  listPodHostVeths,
  fastPathPinDir,
  removeFastPathPins,
  ensureBpfFilesystem,
  TO_NODES_PIN,
  TO_NODES_FILTER,
  TO_PODS_FILTER,
} from '../../network/pod-fast-path.js';
export { listLinkSizes, type LinkSizes } from '../rtnetlink.js';
