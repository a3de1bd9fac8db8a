// A C face for the few CTranslate2 calls the translation backend makes, so Rust binds plain
// functions instead of C++ classes. Built by build.rs into libnewsextract_ct2.so against the
// headers and library of .deps/ctranslate2 (scripts/setup-ctranslate2.sh) and opened with
// dlopen only when a run uses a CTranslate2 model folder.
//
// Every entry point catches C++ exceptions: an exception must never unwind into Rust.
// Strings handed back are malloc'd and freed by nx_ct2_free.

#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include <ctranslate2/translator.h>

namespace {

char* copy_string(const std::string& s) {
  char* out = static_cast<char*>(std::malloc(s.size() + 1));
  if (out) {
    std::memcpy(out, s.c_str(), s.size() + 1);
  }
  return out;
}

void set_error(char** error, const char* what) {
  if (error) {
    *error = copy_string(what);
  }
}

}  // namespace

extern "C" {

// The CTranslate2 release the shim was compiled against.
const char* nx_ct2_version() { return "4.8.4"; }

void nx_ct2_free(void* p) { std::free(p); }

// 1 when the CPU runs bf16 arithmetic natively (CTranslate2's own test), else 0.
int nx_ct2_cpu_has_bf16() {
  try {
    return ctranslate2::mayiuse_bfloat16(ctranslate2::Device::CPU) ? 1 : 0;
  } catch (...) {
    return 0;
  }
}

// Loads a model folder with `replicas` workers on the CPU sharing one copy of the weights,
// each running `threads_per_replica` threads. compute_type: "float32", "int8_float32",
// "bfloat16", ... (CTranslate2's names). Null with *error set on failure.
void* nx_ct2_translator_new(const char* model_dir,
                            const char* compute_type,
                            size_t replicas,
                            size_t threads_per_replica,
                            char** error) {
  try {
    // As CTranslate2's Python binding builds its inter_threads: one device, replicas on it
    // sharing the weights. (Listing the device once per replica instead crashes in MKL when
    // two replicas compute at once.)
    ctranslate2::models::ModelLoader loader(model_dir);
    loader.device = ctranslate2::Device::CPU;
    loader.device_indices = {0};
    loader.num_replicas_per_device = replicas == 0 ? 1 : replicas;
    loader.compute_type = ctranslate2::str_to_compute_type(compute_type);
    ctranslate2::ReplicaPoolConfig config;
    config.num_threads_per_replica = threads_per_replica;
    return new ctranslate2::Translator(loader, config);
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown C++ exception");
  }
  return nullptr;
}

void nx_ct2_translator_free(void* translator) {
  delete static_cast<ctranslate2::Translator*>(translator);
}

// Translates `n` token sequences: `tokens` holds them one after the other, `counts[i]` the
// length of sequence i. On success returns 0, sets *out to a buffer of the output tokens
// (each NUL-terminated, sequences one after the other), *out_len to its length in bytes and
// out_counts[i] (caller-allocated, n entries) to the number of tokens of sequence i.
// max_decoding_length and min_decoding_length count generated tokens, the end token among
// them. Safe to call from several threads at once: batches go to free replicas.
int nx_ct2_translate(void* translator,
                     const char* const* tokens,
                     const size_t* counts,
                     size_t n,
                     size_t beam_size,
                     size_t max_decoding_length,
                     size_t min_decoding_length,
                     char** out,
                     size_t* out_len,
                     size_t* out_counts,
                     char** error) {
  try {
    std::vector<std::vector<std::string>> source(n);
    size_t k = 0;
    for (size_t i = 0; i < n; ++i) {
      source[i].reserve(counts[i]);
      for (size_t j = 0; j < counts[i]; ++j) {
        source[i].emplace_back(tokens[k++]);
      }
    }
    ctranslate2::TranslationOptions options;
    options.beam_size = beam_size;
    options.max_decoding_length = max_decoding_length;
    options.min_decoding_length = min_decoding_length;
    options.max_input_length = 0;  // the caller truncates, as the libtorch path does
    options.num_hypotheses = 1;
    const auto results =
        static_cast<ctranslate2::Translator*>(translator)->translate_batch(source, options);
    std::string buffer;
    for (size_t i = 0; i < n; ++i) {
      const auto& hyp = results.at(i).output();
      out_counts[i] = hyp.size();
      for (const auto& t : hyp) {
        buffer.append(t);
        buffer.push_back('\0');
      }
    }
    char* data = static_cast<char*>(std::malloc(buffer.size() + 1));
    if (!data) {
      set_error(error, "out of memory");
      return 1;
    }
    std::memcpy(data, buffer.data(), buffer.size());
    *out = data;
    *out_len = buffer.size();
    return 0;
  } catch (const std::exception& e) {
    set_error(error, e.what());
  } catch (...) {
    set_error(error, "unknown C++ exception");
  }
  return 1;
}

}  // extern "C"
