// The tracker's HTTP and UDP servers never use WebRTC; every RTC* name is undefined.
export const RTCPeerConnection = undefined
export const RTCSessionDescription = undefined
export const RTCIceCandidate = undefined
export const RTCDataChannel = undefined
export const RTCIceTransport = undefined
export const RTCDtlsTransport = undefined
export const RTCSctpTransport = undefined
export const RTCCertificate = undefined
export const MediaStream = undefined
export const MediaStreamTrack = undefined
export default { RTCPeerConnection, RTCSessionDescription, RTCIceCandidate }
