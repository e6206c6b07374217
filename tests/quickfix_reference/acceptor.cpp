// A reference FIX 4.4 acceptor on QuickFIX C++ (Debian's libquickfix-dev, 1.15),
// for running QuickFIX's own acceptance definitions against QuickFIX with
// fixgate's runner (tests/acceptance_reference.rs).
//
// The application behaves as QuickFIX's acceptance-test application `at`
// (src/at_application.h in the QuickFIX repository):
//   - NewOrderSingle (D) is echoed back, unless it carries PossResend (97=Y) and
//     its ClOrdID was already seen in this logon (the set is cleared on logout);
//   - SecurityDefinition (d) is echoed back;
//   - every other application message is answered with a BusinessMessageReject
//     (j): the cracker throws UnsupportedMessageType;
//   - the session is reset when it is created.
// An echo is the received message re-sent with sendToTarget: QuickFIX rewrites
// the header (BeginString, SenderCompID/TargetCompID swapped, MsgSeqNum,
// SendingTime) and writes body fields in ascending tag order.
//
// Usage: quickfix-acceptor -f acceptor.cfg [Key=Value ...]
// Each Key=Value replaces the value of every `Key=` line in the file (for example
// SocketAcceptPort=5001, DataDictionary=/abs/FIX44.xml, FileStorePath=dir).
// The process runs until SIGTERM or SIGINT. It prints "listening on port N" once
// the acceptor has started.
//
// Build: tests/quickfix_reference/build.sh

#include <quickfix/Application.h>
#include <quickfix/FileLog.h>
#include <quickfix/FileStore.h>
#include <quickfix/Session.h>
#include <quickfix/SessionSettings.h>
#include <quickfix/SocketAcceptor.h>
#include <quickfix/fix44/MessageCracker.h>
#include <quickfix/fix44/NewOrderSingle.h>
#include <quickfix/fix44/SecurityDefinition.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <utility>

namespace {

class Cracker : public FIX44::MessageCracker {
public:
  void reset() { m_orderIDs.clear(); }

  void onMessage(const FIX44::NewOrderSingle &message,
                 const FIX::SessionID &sessionID) override {
    FIX::Message echo = message;
    FIX::PossResend possResend(false);
    if (message.getHeader().isSetField(possResend))
      message.getHeader().getField(possResend);

    FIX::ClOrdID clOrdID;
    message.getField(clOrdID);

    std::pair<std::string, FIX::SessionID> key =
        std::make_pair(clOrdID.getValue(), sessionID);
    if (possResend == true && m_orderIDs.find(key) != m_orderIDs.end())
      return;
    m_orderIDs.insert(key);
    FIX::Session::sendToTarget(echo, sessionID);
  }

  void onMessage(const FIX44::SecurityDefinition &message,
                 const FIX::SessionID &sessionID) override {
    FIX44::SecurityDefinition echo = message;
    FIX::Session::sendToTarget(echo, sessionID);
  }

private:
  std::set<std::pair<std::string, FIX::SessionID> > m_orderIDs;
};

class Application : public FIX::Application {
public:
  void onCreate(const FIX::SessionID &sessionID) override {
    FIX::Session *session = FIX::Session::lookupSession(sessionID);
    if (session)
      session->reset();
  }
  void onLogon(const FIX::SessionID &) override {}
  void onLogout(const FIX::SessionID &) override { m_cracker.reset(); }
  void toAdmin(FIX::Message &, const FIX::SessionID &) override {}
  void toApp(FIX::Message &, const FIX::SessionID &) throw(FIX::DoNotSend) override {}
  void fromAdmin(const FIX::Message &, const FIX::SessionID &) throw(
      FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
      FIX::RejectLogon) override {}
  void fromApp(const FIX::Message &message, const FIX::SessionID &sessionID) throw(
      FIX::FieldNotFound, FIX::IncorrectDataFormat, FIX::IncorrectTagValue,
      FIX::UnsupportedMessageType) override {
    m_cracker.crack(message, sessionID);
  }

private:
  Cracker m_cracker;
};

// The settings file with each `Key=` line whose key is overridden rewritten.
std::string configText(const std::string &path,
                       const std::map<std::string, std::string> &overrides) {
  std::ifstream in(path.c_str());
  if (!in)
    throw FIX::ConfigError("cannot read " + path);
  std::ostringstream out;
  std::string line;
  while (std::getline(in, line)) {
    std::string::size_type eq = line.find('=');
    if (eq != std::string::npos) {
      std::map<std::string, std::string>::const_iterator o =
          overrides.find(line.substr(0, eq));
      if (o != overrides.end())
        line = o->first + "=" + o->second;
    }
    out << line << "\n";
  }
  return out.str();
}

} // namespace

int main(int argc, char **argv) {
  std::string file;
  std::map<std::string, std::string> overrides;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "-f" && i + 1 < argc) {
      file = argv[++i];
    } else if (arg.find('=') != std::string::npos && arg[0] != '=') {
      std::string::size_type eq = arg.find('=');
      overrides[arg.substr(0, eq)] = arg.substr(eq + 1);
    } else {
      std::cerr << "usage: " << argv[0] << " -f FILE [Key=Value ...]" << std::endl;
      return 1;
    }
  }
  if (file.empty()) {
    std::cerr << "usage: " << argv[0] << " -f FILE [Key=Value ...]" << std::endl;
    return 1;
  }

  // Block the stop signals in every thread; main waits for them below.
  sigset_t stopSignals;
  sigemptyset(&stopSignals);
  sigaddset(&stopSignals, SIGTERM);
  sigaddset(&stopSignals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stopSignals, 0);

  try {
    std::istringstream text(configText(file, overrides));
    FIX::SessionSettings settings(text);
    Application application;
    FIX::FileStoreFactory storeFactory(settings);
    std::unique_ptr<FIX::LogFactory> logFactory;
    if (settings.get().has("FileLogPath"))
      logFactory.reset(new FIX::FileLogFactory(settings));
    std::unique_ptr<FIX::SocketAcceptor> acceptor(
        logFactory ? new FIX::SocketAcceptor(application, storeFactory, settings,
                                             *logFactory)
                   : new FIX::SocketAcceptor(application, storeFactory, settings));
    acceptor->start();
    std::cout << "listening on port " << settings.get().getString("SocketAcceptPort")
              << std::endl;

    int signal = 0;
    sigwait(&stopSignals, &signal);
    acceptor->stop(true);
  } catch (std::exception &e) {
    std::cerr << "quickfix-acceptor: " << e.what() << std::endl;
    return 2;
  }
  return 0;
}
