// The tracker's HTTP and UDP servers never use WebRTC; every RTC* name is undefined.
module.exports = {
  RTCPeerConnection: undefined,
  RTCSessionDescription: undefined,
  RTCIceCandidate: undefined,
  RTCDataChannel: undefined,
  RTCIceTransport: undefined,
  RTCDtlsTransport: undefined,
  RTCSctpTransport: undefined,
  RTCCertificate: undefined,
  MediaStream: undefined,
  MediaStreamTrack: undefined
}
